/*
 * planpack: the command table. Each command parses its own arguments, runs one stage of
 * the pipeline and maps the outcome to the exit codes in DESIGN.md: 0 ok, 1 a problem in
 * the input or the usage (with a message), 2 an internal or I/O error.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/diag.h"
#include "base/fileset.h"
#include "pkg/pkg.h"
#include "pkg/check.h"
#include "site/site.h"
#include "web/server.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_INTERNAL = 2 };

struct command {
    const char *name;
    const char *summary;
    const char *usage;
    const char *details;
    int (*run)(int argc, char **argv);
};

static const struct command *find_command(const char *name);

__attribute__((format(printf, 2, 3))) static int usage_error(const char *cmd, const char *fmt,
                                                            ...)
{
    fprintf(stderr, "planpack %s: ", cmd);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'planpack help %s'.\n", cmd);
    return EXIT_INPUT;
}

/*
 * A loaded package and the files it came from. With dir == NULL the embedded default
 * package is used and its diagnostics name files as "packages/default/...".
 */
struct loaded {
    struct fileset files;
    struct pkg *pkg;
    struct diag_list diags;
    const char *label; /* prefix for file names in messages */
};

static void loaded_release(struct loaded *l)
{
    pkg_free(l->pkg);
    fileset_release(&l->files);
    diag_list_release(&l->diags);
}

/* Loads and checks; prints every problem. Returns 0 when the package has no error. */
static int load_package(const char *dir, struct loaded *l, bool print_warnings)
{
    memset(l, 0, sizeof(*l));
    diag_list_init(&l->diags);
    if (dir) {
        if (fileset_read_dir(&l->files, dir, &l->diags) != 0) {
            fprintf(stderr, "planpack: %s: not a readable folder\n", dir);
            return EXIT_INPUT;
        }
        size_t n = strlen(dir);
        l->label = n && dir[n - 1] == '/' ? "" : "/";
    } else {
        fileset_borrow(&l->files, embedded_package, embedded_package_count);
    }
    l->pkg = pkg_load(&l->files, &l->diags);
    if (l->pkg)
        pkg_check(l->pkg, &l->files, &l->diags);
    diag_sort(&l->diags);
    char prefix[4096];
    snprintf(prefix, sizeof(prefix), "%s%s", dir ? dir : "(built-in package) ", dir ? l->label : "");
    for (size_t i = 0; i < l->diags.count; i++) {
        const struct diag *d = &l->diags.items[i];
        if (d->severity == DIAG_WARNING && !print_warnings)
            continue;
        fprintf(stderr, "%s%s:%d: %s: %s\n", prefix, d->file, d->line,
                d->severity == DIAG_ERROR ? "error" : "warning", d->message);
    }
    if (!l->pkg || diag_count(&l->diags, DIAG_ERROR) > 0)
        return EXIT_INPUT;
    return EXIT_OK;
}

static int cmd_check(int argc, char **argv)
{
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            return usage_error("check", "unknown option '%s'", argv[i]);
        if (dir)
            return usage_error("check", "more than one package folder given ('%s')", argv[i]);
        dir = argv[i];
    }
    struct loaded l;
    int rc = load_package(dir, &l, true);
    if (l.pkg) {
        printf("%s %s: %zu pages, %zu errors, %zu warnings\n", l.pkg->id ? l.pkg->id : "package",
               l.pkg->version ? l.pkg->version : "?", l.pkg->page_count,
               diag_count(&l.diags, DIAG_ERROR), diag_count(&l.diags, DIAG_WARNING));
        check_print_readability(l.pkg, stdout);
    }
    loaded_release(&l);
    return rc;
}

static int cmd_export(int argc, char **argv)
{
    const char *dir = NULL;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
            if (++i >= argc)
                return usage_error("export", "%s needs a folder", argv[i - 1]);
            out = argv[i];
        } else if (argv[i][0] == '-') {
            return usage_error("export", "unknown option '%s'", argv[i]);
        } else if (dir) {
            return usage_error("export", "more than one package folder given ('%s')", argv[i]);
        } else {
            dir = argv[i];
        }
    }
    if (!out)
        return usage_error("export", "%s", "no output folder: give -o OUTDIR");
    struct loaded l;
    int rc = load_package(dir, &l, false);
    if (rc != EXIT_OK) {
        loaded_release(&l);
        return rc;
    }
    struct site *site = site_render(l.pkg, SITE_EXPORT);
    if (!site) {
        loaded_release(&l);
        return EXIT_INTERNAL;
    }
    rc = site_export(site, out) == 0 ? EXIT_OK : EXIT_INTERNAL;
    if (rc == EXIT_OK)
        printf("exported %zu files to %s\n", site_file_count(site), out);
    site_free(site);
    loaded_release(&l);
    return rc;
}

static int cmd_serve(int argc, char **argv)
{
    const char *dir = NULL;
    struct web_options opt = {.listen = "127.0.0.1:8080"};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--listen") == 0 || strcmp(argv[i], "--db") == 0) {
            if (i + 1 >= argc)
                return usage_error("serve", "%s needs a value", argv[i]);
            if (strcmp(argv[i], "--listen") == 0)
                opt.listen = argv[i + 1];
            i++;
        } else if (strcmp(argv[i], "--quiet") == 0) {
            opt.quiet = true;
        } else if (argv[i][0] == '-') {
            return usage_error("serve", "unknown option '%s'", argv[i]);
        } else if (dir) {
            return usage_error("serve", "more than one package folder given ('%s')", argv[i]);
        } else {
            dir = argv[i];
        }
    }
    /* A mistyped address is a usage error, found before the package is loaded. */
    struct sockaddr_storage where;
    char err[160];
    if (web_parse_listen(opt.listen, &where, err, sizeof(err)) != 0)
        return usage_error("serve", "--listen: %s", err);
    struct loaded l;
    int rc = load_package(dir, &l, false);
    if (rc != EXIT_OK) {
        loaded_release(&l);
        return rc;
    }
    struct site *site = site_render(l.pkg, SITE_SERVE);
    if (!site) {
        loaded_release(&l);
        return EXIT_INTERNAL;
    }
    rc = web_serve(site, &opt) == 0 ? EXIT_OK : EXIT_INTERNAL;
    site_free(site);
    loaded_release(&l);
    return rc;
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
     cmd_check},
    {"export", "Render a package as a static site that works from file:// and any web host.",
     "export [PKGDIR] -o OUTDIR",
     "Writes every page, asset and a .gz beside each text file into OUTDIR, replacing an\n"
     "earlier export there. Nothing in the site loads from another host.\n",
     cmd_export},
    {"serve", "Serve a package over HTTP from memory.",
     "serve [PKGDIR] [--listen ADDR:PORT] [--db PATH] [--quiet]",
     "Default address 127.0.0.1:8080 (IPv6 as [::1]:8080). Stops cleanly on Ctrl-C or\n"
     "SIGTERM. --quiet turns off the access log.\n",
     cmd_serve},
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
