/*
 * planpack: the command table. Each command's stage reads its arguments and runs it (its
 * cli.c: pkg, site, web, staff, report, store), returning the exit codes in DESIGN.md and
 * base/cli.h: 0 ok, 1 a problem in the input or the usage (with a message), 2 an internal or
 * I/O error. This file holds the names, the help texts and the dispatch.
 */
#include <stdio.h>
#include <string.h>

#include "base/cli.h"
#include "pkg/catalog.h"
#include "pkg/cli.h"
#include "report/cli.h"
#include "site/cli.h"
#include "staff/cli.h"
#include "store/cli.h"
#include "web/cli.h"

struct command {
    const char *name;
    const char *summary;
    const char *usage;
    const char *details;
    int (*run)(int argc, char **argv);
};

static const struct command *find_command(const char *name);

/* cohort new reads a package's survey, which src/staff cannot see: src/pkg lends it here. */
static int cmd_cohort(int argc, char **argv)
{
    static const struct cli_survey_reader reader = {pkg_cli_survey_open, pkg_cli_survey_close};
    return staff_cli_cohort(argc, argv, &reader);
}

/* report names languages by their own names, which src/report cannot see: src/pkg lends
 * them here. */
static int cmd_report(int argc, char **argv)
{
    return report_cli(argc, argv, ui_language_name);
}

static void print_command_help(const struct command *c)
{
    printf("usage: planpack %s\n\n%s\n", c->usage, c->summary);
    if (c->details)
        printf("\n%s", c->details);
}

static int print_help(void);

static int cmd_help(int argc, char **argv)
{
    if (argc < 2)
        return print_help();
    const struct command *c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "planpack help: no command named '%s'\n", argv[1]);
        return EXIT_INPUT;
    }
    print_command_help(c);
    return EXIT_OK;
}

static const struct command commands[] = {
    {"check", "Check a package and print every problem as FILE:LINE: error: MESSAGE.",
     "check [PKGDIR]",
     "Without PKGDIR the built-in default package is checked. Also prints each pupil page's\n"
     "reading age (Flesch-Kincaid) against the package's target. Exits 1 on any error.\n",
     pkg_cli_check},
    {"export", "Render a package as a static site that works from file:// and any web host.",
     "export [PKGDIR] -o OUTDIR [--public-url URL]",
     "Writes every page, asset and a .gz beside each text file into OUTDIR, replacing an\n"
     "earlier export there. Nothing in the site loads from another host.\n"
     "  --public-url URL       the address where the site will be published; the lesson\n"
     "                         slides and the parents' letter show it as a QR code\n",
     site_cli_export},
    {"serve", "Serve a package over HTTP from memory.",
     "serve [PKGDIR] [--listen ADDR:PORT] [--db PATH] [--watch] [--behind-tls]\n"
     "                      [--trusted-proxy ADDR] [--max-connections N] [--max-per-client N]\n"
     "                      [--timeout SECONDS] [--answers-per-client N] [--min-free-disk MB]\n"
     "                      [--threads N] [--quiet] [--public-url URL]",
     "  --listen ADDR:PORT     where to listen; default 127.0.0.1:8080, IPv6 as [::1]:8080\n"
     "  --public-url URL       the address pupils' phones open, for the QR codes on /teach\n"
     "                         and the parents' letter; default http://ADDR:PORT/ (for\n"
     "                         :PORT, this computer's network address)\n"
     "  --db PATH              the feedback database (a file, or a postgres:// URL);\n"
     "                         default ./planpack.db\n"
     "  --watch                reload PKGDIR when its files change; while it has errors,\n"
     "                         the last version that worked is served, and the terminal\n"
     "                         and /_problems (on this computer only) list them\n"
     "  --behind-tls           a TLS proxy is in front: send Strict-Transport-Security\n"
     "  --trusted-proxy ADDR   the proxy's IP address: its X-Real-IP header names each\n"
     "                         client for the sign-in throttle (default with --behind-tls:\n"
     "                         a proxy on this machine); ignored from any other address\n"
     "  --max-connections N    open connections in all (default 1024)\n"
     "  --max-per-client N     open connections from one address (default 256, at most a\n"
     "                         quarter of --max-connections); behind a proxy every client\n"
     "                         has the proxy's address\n"
     "  --timeout SECONDS      a request must arrive in this time, and a connection silent\n"
     "                         this long is closed (default 15)\n"
     "  --answers-per-client N answers one address may send a minute (default 600; 0: no\n"
     "                         limit); behind --trusted-proxy, the address it names\n"
     "  --min-free-disk MB     refuse new answers (503) while the SQLite file's disk has\n"
     "                         less free (default 256; 0: no check)\n"
     "  --threads N            threads answering requests (default: one per CPU core);\n"
     "                         fewer leave more of a shared machine to other work\n"
     "  --quiet                no access log (by default one line a request on stdout)\n"
     "Stops cleanly on Ctrl-C or SIGTERM, letting requests in flight finish.\n",
     web_cli_serve},
    {"staff", "Add, list and remove staff accounts; change passwords; end sessions.",
     "staff add NAME [--school NAME] [--db PATH] | staff list [--db PATH]\n"
     "                      | staff remove|passwd NAME [--db PATH]\n"
     "                      | staff sessions --end NAME [--db PATH]",
     "add: with --school, the account is that school's and sees only its classes; without\n"
     "it, the account is an evaluator who sees every school (k-anonymous in every view).\n"
     "list: every account, its school and how many sessions it has in use.\n"
     "remove: deletes the account and ends its sessions.\n"
     "passwd: sets a new password and ends the account's sessions.\n"
     "sessions --end: signs the account out everywhere.\n"
     "add and passwd read the password from stdin (twice, without echo, at a terminal; one\n"
     "line from a pipe), never from the command line. There is no default account. --db\n"
     "defaults to ./planpack.db.\n",
     staff_cli_staff},
    {"cohort", "Make a feedback code for one class session, list them, close or reopen one.",
     "cohort new --label TEXT [--school NAME] [--size N] [--db PATH] [PKGDIR]\n"
     "                      | cohort list [--school NAME] [--db PATH]\n"
     "                      | cohort close|open CODE [--db PATH]",
     "new prints the new code. Pupils give feedback at /feedback?c=CODE. The code belongs\n"
     "to the package's current version (the built-in package unless PKGDIR is given).\n"
     "--size N: the pupils expected (default 30); the class takes up to 10 answers for\n"
     "each, and refuses more, so that one person cannot flood it; 0: no limit.\n"
     "list shows every code, oldest first, with whether it is open, the day it was made,\n"
     "its package version, school and label; it can run while planpack serve does.\n",
     cmd_cohort},
    {"report", "Report on pupils' feedback as text or HTML, or as data for evaluators.",
     "report [--db PATH] [--school NAME] [--cohort CODE] [--k N] [--compare OLD,NEW]\n"
     "                      [--package-version V] [--format text|html|pilot|csv|codebook|sav|dta]",
     "Groups and figures from fewer than k answers (default 5, at least 3) are hidden, and\n"
     "so are figures that would let them be worked out. csv, sav (SPSS) and dta (Stata)\n"
     "have one row per answer, leaving out classes under k; codebook describes them.\n"
     "--school NAME reports on that school's classes only, as its staff see them.\n"
     "pilot is the printable pilot report (HTML) for one version (--package-version V,\n"
     "or the newest), or for two side by side (--compare PILOT,REVISION).\n",
     cmd_report},
    {"translate", "Write a package's texts for a translator, and read the translation back.",
     "translate export [PKGDIR] --lang LL [-o FILE.po]\n"
     "                      | translate import PKGDIR FILE.po --lang LL",
     "export writes every text of the package, with its LL translation where there is one,\n"
     "as a gettext PO file (to stdout without -o) that Poedit, Weblate, Lokalize or OmegaT\n"
     "open. A translation whose source text has changed since is marked fuzzy.\n"
     "import writes the PO file's translations into PKGDIR/translations/LL/, refusing the\n"
     "whole file, with every reason, when a message names a text the package does not have\n"
     "or its msgid is no longer the source text. Fuzzy and empty messages are not taken.\n",
     pkg_cli_translate},
    {"purge", "Delete stored answers older than a number of days.",
     "purge [--db PATH] --older-than DAYS",
     "Answers and focus-group notes from before that many days ago are deleted and\n"
     "overwritten in the database file.\n",
     store_cli_purge},
    {"help", "Show help for a command.", "help [COMMAND]", NULL, cmd_help},
};

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static int print_help(void)
{
    printf("planpack %s: build, deliver and evaluate youth information packages in which\n"
           "every young person makes their own plan.\n\nusage: planpack COMMAND [ARGS]\n\n",
           PLANPACK_VERSION);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        printf("  %-8s %s\n", commands[i].name, commands[i].summary);
    printf("\n  --help     Show this help.\n  --version  Show the version.\n\n"
           "Without PKGDIR, commands use the default package built into planpack.\n"
           "'planpack help COMMAND' shows a command's options.\n"
           "Exit codes: 0 ok, 1 a problem in the input or usage, 2 an internal or I/O error.\n");
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help();
        return EXIT_INPUT;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
        return print_help();
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("planpack %s\n", PLANPACK_VERSION);
        return EXIT_OK;
    }
    const struct command *c = find_command(cmd);
    if (!c) {
        fprintf(stderr, "planpack: unknown command '%s'. Try 'planpack --help'.\n", cmd);
        return EXIT_INPUT;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_command_help(c);
            return EXIT_OK;
        }
    }
    return c->run(argc - 1, argv + 1);
}
