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
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/fileset.h"
#include "base/xalloc.h"
#include "pkg/pkg.h"
#include "pkg/check.h"
#include "report/report.h"
#include "site/site.h"
#include "staff/cli.h"
#include "staff/staff.h"
#include "store/store.h"
#include "web/listen.h"
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

__attribute__((format(printf, 2, 3))) static int usage_error(const char *cmd, const char *fmt, ...)
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
    snprintf(prefix, sizeof(prefix), "%s%s", dir ? dir : "(built-in package) ",
             dir ? l->label : "");
    diag_print(&l->diags, prefix, print_warnings ? DIAG_WARNING : DIAG_ERROR, stderr);
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

/* An option that takes a value, and where its value goes. */
struct value_option {
    const char *name;
    const char **value;
};

/*
 * Reads argv[first..argc) as "--name VALUE" pairs of the n options given; anything else is
 * a usage error: "unexpected 'X'", or "--name needs a value".
 */
static int value_options(const char *cmd, int argc, char **argv, int first,
                         const struct value_option *opts, size_t n)
{
    for (int i = first; i < argc; i++) {
        const char **val = NULL;
        for (size_t k = 0; k < n && !val; k++)
            if (strcmp(argv[i], opts[k].name) == 0)
                val = opts[k].value;
        if (!val)
            return usage_error(cmd, "unexpected '%s'", argv[i]);
        if (++i >= argc)
            return usage_error(cmd, "%s needs a value", argv[i - 1]);
        *val = argv[i];
    }
    return EXIT_OK;
}

/* Reads --public-url's value after argv[*i] into *url; 0, or a usage error. */
static int option_public_url(const char *cmd, int argc, char **argv, int *i, const char **url)
{
    if (++*i >= argc)
        return usage_error(cmd, "%s",
                           "--public-url needs the address pupils use, e.g. "
                           "https://www.school.example/think/");
    if (!site_public_url_valid(argv[*i]))
        return usage_error(cmd,
                           "--public-url: '%s' is not an address planpack can put in a QR "
                           "code: use http:// or https://, a host and an optional path, "
                           "e.g. https://www.school.example/think/",
                           argv[*i]);
    *url = argv[*i];
    return EXIT_OK;
}

static int cmd_export(int argc, char **argv)
{
    const char *dir = NULL;
    const char *out = NULL;
    struct site_options so = {.mode = SITE_EXPORT};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
            if (++i >= argc)
                return usage_error("export", "%s needs a folder", argv[i - 1]);
            out = argv[i];
        } else if (strcmp(argv[i], "--public-url") == 0) {
            if (option_public_url("export", argc, argv, &i, &so.public_url) != EXIT_OK)
                return EXIT_INPUT;
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
    struct site *site = site_render_with(l.pkg, &so);
    if (!site) {
        loaded_release(&l);
        return EXIT_INTERNAL;
    }
    rc = site_export(site, out) == 0 ? EXIT_OK : EXIT_INTERNAL;
    if (rc == EXIT_OK)
        printf("exported %zu files to %s\n", site_file_count(site), out);
    if (rc == EXIT_OK && !so.public_url)
        printf("note: no QR codes on the lesson slides or the parents' letter; give "
               "--public-url with the address where the site will be published to add them\n");
    site_free(site);
    loaded_release(&l);
    return rc;
}

/* Reads the whole number after option argv[*i] (1 to max) into out; 0, or a usage error. */
static int option_number(const char *cmd, int argc, char **argv, int *i, unsigned long min,
                         unsigned long max, unsigned *out)
{
    const char *name = argv[*i];
    if (*i + 1 >= argc)
        return usage_error(cmd, "%s needs a number", name);
    const char *v = argv[++*i];
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (*v < '0' || *v > '9' || *end || n < min || n > max)
        return usage_error(cmd, "%s takes a whole number from %lu to %lu, not '%s'", name, min, max,
                           v);
    *out = (unsigned)n;
    return EXIT_OK;
}

static int option_count(const char *cmd, int argc, char **argv, int *i, unsigned long max,
                        unsigned *out)
{
    return option_number(cmd, argc, argv, i, 1, max, out);
}

/* A number where 0 turns a limit off. */
static int option_count0(const char *cmd, int argc, char **argv, int *i, unsigned long max,
                         unsigned *out)
{
    return option_number(cmd, argc, argv, i, 0, max, out);
}

/* What --watch reloads: the package folder, and how to render it. */
struct serve_ctx {
    const char *dir;
    const char *public_url;
    bool public_url_local;
    size_t loads;  /* reloads asked for */
    size_t served; /* of them, those that made a site */
};

/* A package and the site rendered from it, for --watch: every reload makes a new one. */
struct served {
    struct loaded l;
    struct site *site;
};

static void served_free(struct served *s)
{
    if (!s)
        return;
    site_free(s->site);
    loaded_release(&s->l);
    free(s);
}

static void serve_release(void *ctx, void *owner)
{
    (void)ctx;
    served_free(owner);
}

/*
 * Loads and checks the package again, printing its problems in the terminal as `check`
 * does, and gives the server either the new site or the errors for the author's page,
 * which names files as in the package (never the server's folder).
 */
static void serve_reload(void *ctx, struct web_reload *out)
{
    struct serve_ctx *sc = ctx;
    const char *dir = sc->dir;
    sc->loads++;
    struct served *s = xcalloc(1, sizeof(*s));
    int rc = load_package(dir, &s->l, true);
    struct site_options so = {
        .mode = SITE_SERVE, .public_url = sc->public_url, .public_url_local = sc->public_url_local};
    if (rc == EXIT_OK)
        s->site = site_render_with(s->l.pkg, &so);
    if (s->site) {
        fprintf(stderr, "planpack: %s: serving %zu pages\n", dir, s->l.pkg->page_count);
        sc->served++;
        out->site = s->site;
        out->owner = s;
        return;
    }
    struct buf text;
    buf_init(&text, (size_t)1 << 20);
    size_t errors = diag_write(&s->l.diags, NULL, DIAG_ERROR, &text);
    if (errors == 0)
        buf_addf(&text, "%s\n",
                 rc == EXIT_OK ? "the site could not be rendered (the terminal says why)"
                               : "the package could not be read (the terminal says why)");
    fprintf(stderr, "planpack: %s has %zu error%s\n", dir, errors ? errors : 1,
            errors == 1 ? "" : "s");
    out->problems = buf_detach(&text, NULL);
    served_free(s);
}

static int cmd_serve(int argc, char **argv)
{
    const char *dir = NULL, *db = NULL;
    bool watch = false;
    struct web_options opt = {.listen = "127.0.0.1:8080", .answers_per_minute = 600};
    unsigned min_free_mb = 256;
    struct site_options so = {.mode = SITE_SERVE};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--listen") == 0 || strcmp(argv[i], "--db") == 0) {
            if (i + 1 >= argc)
                return usage_error("serve", "%s needs a value", argv[i]);
            if (strcmp(argv[i], "--listen") == 0)
                opt.listen = argv[i + 1];
            else
                db = argv[i + 1];
            i++;
        } else if (strcmp(argv[i], "--max-connections") == 0) {
            if (option_count("serve", argc, argv, &i, 100000, &opt.max_connections) != EXIT_OK)
                return EXIT_INPUT;
        } else if (strcmp(argv[i], "--max-per-client") == 0) {
            if (option_count("serve", argc, argv, &i, 100000, &opt.max_per_client) != EXIT_OK)
                return EXIT_INPUT;
        } else if (strcmp(argv[i], "--timeout") == 0) {
            if (option_count("serve", argc, argv, &i, 3600, &opt.timeout_seconds) != EXIT_OK)
                return EXIT_INPUT;
        } else if (strcmp(argv[i], "--answers-per-client") == 0) {
            if (option_count0("serve", argc, argv, &i, 1000000, &opt.answers_per_minute) != EXIT_OK)
                return EXIT_INPUT;
        } else if (strcmp(argv[i], "--min-free-disk") == 0) {
            if (option_count0("serve", argc, argv, &i, 1000000000, &min_free_mb) != EXIT_OK)
                return EXIT_INPUT;
        } else if (strcmp(argv[i], "--threads") == 0) {
            if (option_count("serve", argc, argv, &i, 64, &opt.threads) != EXIT_OK)
                return EXIT_INPUT;
        } else if (strcmp(argv[i], "--behind-tls") == 0) {
            opt.behind_tls = true;
        } else if (strcmp(argv[i], "--trusted-proxy") == 0) {
            unsigned char bin[sizeof(struct in6_addr)];
            if (i + 1 >= argc)
                return usage_error("serve", "%s", "--trusted-proxy needs the proxy's IP address");
            opt.trusted_proxy = argv[++i];
            if (inet_pton(AF_INET, opt.trusted_proxy, bin) != 1 &&
                inet_pton(AF_INET6, opt.trusted_proxy, bin) != 1)
                return usage_error("serve", "--trusted-proxy: '%s' is not an IP address",
                                   opt.trusted_proxy);
        } else if (strcmp(argv[i], "--watch") == 0) {
            watch = true;
        } else if (strcmp(argv[i], "--quiet") == 0) {
            opt.quiet = true;
        } else if (strcmp(argv[i], "--public-url") == 0) {
            if (option_public_url("serve", argc, argv, &i, &so.public_url) != EXIT_OK)
                return EXIT_INPUT;
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
    if (listen_parse(opt.listen, &where, err, sizeof(err)) != 0)
        return usage_error("serve", "--listen: %s", err);
    char public_url[SITE_PUBLIC_URL_MAX + 1];
    if (!so.public_url &&
        listen_public_url(&where, public_url, sizeof(public_url), &so.public_url_local)) {
        so.public_url = public_url;
        if (so.public_url_local && !opt.behind_tls)
            fprintf(stderr,
                    "planpack: warning: the QR codes on the lesson slides (/teach) point to "
                    "%s, which only this computer can open, so pupils' phones cannot; start "
                    "planpack with --listen and this computer's address on the school "
                    "network (for example --listen 0.0.0.0:8080), or give --public-url with "
                    "the address phones can open\n",
                    public_url);
        if (opt.behind_tls)
            fprintf(stderr,
                    "planpack: the QR codes on /teach point to %s; behind a proxy, give "
                    "--public-url with the address people use\n",
                    public_url);
    }
    if (!so.public_url)
        fprintf(stderr, "planpack: no QR codes on the lesson slides: with port 0 the address is "
                        "not known in advance; give --public-url\n");
    struct serve_ctx sc = {dir, so.public_url, so.public_url_local, 0, 0};
    /*
     * The feedback store. A --db that cannot be opened is an error; the default one only
     * turns feedback off (the pages still work), for example when another server has it.
     */
    struct store *st = NULL;
    char serr[512];
    const struct store_options sopt = {.min_free_bytes = (unsigned long long)min_free_mb << 20};
    int opened =
        store_open(db ? db : STORE_DEFAULT_PATH, STORE_READ_WRITE, &sopt, &st, serr, sizeof(serr));
    if (opened != STORE_OK) {
        fprintf(stderr, "planpack serve: %s%s\n", db ? "" : "feedback is off: ", serr);
        if (db)
            return EXIT_INPUT;
    }
    opt.store = st;
    if (watch) {
        if (!dir) {
            store_close(st);
            return usage_error("serve", "%s",
                               "--watch needs a package folder (the built-in package never "
                               "changes)");
        }
        struct stat sb;
        if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            fprintf(stderr, "planpack: %s: not a readable folder\n", dir);
            store_close(st);
            return EXIT_INPUT;
        }
        /* The server loads the package itself, and again after every change. */
        opt.watch_dir = dir;
        opt.reload = serve_reload;
        opt.release = serve_release;
        opt.ctx = &sc;
        /* A package broken from the start has no version to serve: that is the author's to fix. */
        int wrc = web_serve(NULL, &opt) == 0       ? EXIT_OK
                  : sc.loads > 0 && sc.served == 0 ? EXIT_INPUT
                                                   : EXIT_INTERNAL;
        store_close(st);
        return wrc;
    }
    struct loaded l;
    int rc = load_package(dir, &l, false);
    if (rc != EXIT_OK) {
        loaded_release(&l);
        store_close(st);
        return rc;
    }
    struct site *site = site_render_with(l.pkg, &so);
    if (!site) {
        loaded_release(&l);
        store_close(st);
        return EXIT_INTERNAL;
    }
    rc = web_serve(site, &opt) == 0 ? EXIT_OK : EXIT_INTERNAL;
    site_free(site);
    loaded_release(&l);
    store_close(st);
    return rc;
}

/* Store statuses as exit codes: what the user can fix is 1, the rest 2. */
static int store_exit(int status)
{
    switch (status) {
    case STORE_OK:
        return EXIT_OK;
    case STORE_ERR_IO:
        return EXIT_INTERNAL;
    default:
        return EXIT_INPUT;
    }
}

/*
 * Opens the store for command cmd. When a running server holds the database, the message
 * names the staff page that does the same while it runs (instead, which may be NULL: no
 * page does), and never one that cannot.
 */
static int open_store_or(const char *cmd, const char *db, enum store_mode mode, const char *instead,
                         struct store **s)
{
    char err[512];
    int rc = store_open(db, mode, NULL, s, err, sizeof(err));
    if (rc == STORE_ERR_LOCKED && instead)
        fprintf(stderr, "planpack %s: %s, or %s\n", cmd, err, instead);
    else if (rc != STORE_OK)
        fprintf(stderr, "planpack %s: %s\n", cmd, err);
    return rc;
}

static int open_store(const char *cmd, const char *db, enum store_mode mode, struct store **s)
{
    return open_store_or(cmd, db, mode, NULL, s);
}

/* The options every staff subcommand reads: --db, --school (add only), --end (sessions). */
struct staff_args {
    const char *db, *name, *school;
    bool end;
};

static int staff_parse(int argc, char **argv, struct staff_args *o)
{
    const char *sub = argv[1];
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            if (++i >= argc)
                return usage_error("staff", "%s", "--db needs a path");
            o->db = argv[i];
        } else if (strcmp(argv[i], "--school") == 0 && strcmp(sub, "add") == 0) {
            if (++i >= argc)
                return usage_error("staff", "%s", "--school needs a school's name");
            o->school = argv[i];
        } else if (strcmp(argv[i], "--end") == 0 && strcmp(sub, "sessions") == 0) {
            o->end = true;
        } else if (argv[i][0] == '-') {
            return usage_error("staff", "unknown option '%s'", argv[i]);
        } else if (o->name || strcmp(sub, "list") == 0) {
            return usage_error("staff", "unexpected '%s'", argv[i]);
        } else {
            o->name = argv[i];
        }
    }
    if (strcmp(sub, "list") != 0 && !o->name)
        return usage_error("staff", "no name: give 'staff %s NAME'", sub);
    if (strcmp(sub, "sessions") == 0 && !o->end)
        return usage_error("staff", "%s", "give 'staff sessions --end NAME'");
    return EXIT_OK;
}

static int cmd_staff(int argc, char **argv)
{
    if (argc < 2 || !cli_staff_known(argv[1]))
        return usage_error(
            "staff", "%s",
            "give add, list, remove, passwd or sessions (see 'planpack help staff')");
    struct staff_args o = {.db = STORE_DEFAULT_PATH};
    if (staff_parse(argc, argv, &o) != EXIT_OK)
        return EXIT_INPUT;
    const char *sub = argv[1], *name = o.name;
    bool needs_password = strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0;
    char password[STAFF_PASSWORD_MAX + 2] = "";
    if (needs_password) {
        char prompt[160];
        snprintf(prompt, sizeof(prompt), "%s password for %s: ", sub[0] == 'a' ? "Password" : "New",
                 name);
        char err[256];
        if (staff_read_password(stdin, prompt, true, password, sizeof(password), err,
                                sizeof(err)) != 0) {
            fprintf(stderr, "planpack staff: %s\n", err);
            return EXIT_INPUT;
        }
    }
    struct store *s;
    /* An evaluator does all but adding an account on the Accounts page. */
    int rc = open_store_or(
        "staff", o.db, strcmp(sub, "list") == 0 ? STORE_READ_ONLY : STORE_READ_WRITE,
        strcmp(sub, "add") == 0 ? NULL
                                : "while it runs an evaluator can do this on the staff pages' "
                                  "Accounts page",
        &s);
    char shown[512];
    store_location_shown(o.db, shown, sizeof(shown));
    if (rc != STORE_OK)
        goto out;
    struct cli_staff_args args = {
        .sub = sub, .name = name, .school = o.school, .password = password, .shown = shown};
    rc = cli_staff(s, &args, stdout, stderr);
    store_close(s);
out:
    explicit_bzero(password, sizeof(password));
    return store_exit(rc);
}

/* Pupils in a class when its maker says nothing: a class of 30 takes up to 300 answers. */
#define COHORT_SIZE_DEFAULT 30

/*
 * Opens db (read-only for list, which must not lock out serve), runs the cohort subcommand a
 * on it and closes it again; the exit code of the outcome.
 */
static int cohort_run(const char *db, const struct cli_cohort_args *a)
{
    bool list = strcmp(a->sub, "list") == 0;
    struct store *s;
    int rc =
        open_store_or("cohort", db, list ? STORE_READ_ONLY : STORE_READ_WRITE,
                      list ? NULL : "while it runs use the Classes page of the staff pages", &s);
    if (rc == STORE_OK) {
        rc = cli_cohort(s, a, stdout, stderr);
        store_close(s);
    }
    return store_exit(rc);
}

static int cohort_new(int argc, char **argv)
{
    const char *db = STORE_DEFAULT_PATH, *label = NULL, *school = NULL, *dir = NULL;
    unsigned size = COHORT_SIZE_DEFAULT;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--size") == 0) {
            if (option_count0("cohort", argc, argv, &i, STORE_CLASS_SIZE_MAX, &size) != EXIT_OK)
                return EXIT_INPUT;
            continue;
        }
        const char **opt = strcmp(argv[i], "--db") == 0       ? &db
                           : strcmp(argv[i], "--label") == 0  ? &label
                           : strcmp(argv[i], "--school") == 0 ? &school
                                                              : NULL;
        if (opt) {
            if (++i >= argc)
                return usage_error("cohort", "%s needs a value", argv[i - 1]);
            *opt = argv[i];
        } else if (argv[i][0] == '-') {
            return usage_error("cohort", "unknown option '%s'", argv[i]);
        } else if (dir) {
            return usage_error("cohort", "more than one package folder given ('%s')", argv[i]);
        } else {
            dir = argv[i];
        }
    }
    if (!label || !*label)
        return usage_error("cohort", "%s", "no label: give --label TEXT (e.g. \"Year 9 PSHE\")");
    struct loaded l;
    int rc = load_package(dir, &l, false);
    if (rc != EXIT_OK) {
        loaded_release(&l);
        return rc;
    }
    struct arena a = ARENA_INIT;
    struct survey sv;
    pkg_survey(l.pkg, &a, &sv);
    if (sv.count == 0) {
        fprintf(stderr, "planpack cohort: the package has no survey questions (a page with "
                        "kind: survey)\n");
        rc = store_exit(STORE_ERR_INVALID);
    } else {
        struct store_cohort_spec spec = {
            .label = label, .school = school, .survey = &sv, .expected_size = (int)size};
        rc = cohort_run(db, &(struct cli_cohort_args){.sub = "new", .spec = &spec});
    }
    arena_release(&a);
    loaded_release(&l);
    return rc;
}

/* planpack cohort: new reads a package; list, close and open read their options here. */
static int cmd_cohort(int argc, char **argv)
{
    if (argc < 2 || !cli_cohort_known(argv[1]))
        return usage_error("cohort", "%s",
                           "give 'new --label TEXT', 'list', 'close CODE' or 'open CODE'");
    if (strcmp(argv[1], "new") == 0)
        return cohort_new(argc, argv);
    const char *db = STORE_DEFAULT_PATH;
    if (strcmp(argv[1], "list") == 0) {
        const char *school = NULL;
        const struct value_option opts[] = {{"--db", &db}, {"--school", &school}};
        if (value_options("cohort", argc, argv, 2, opts, 2) != EXIT_OK)
            return EXIT_INPUT;
        return cohort_run(db, &(struct cli_cohort_args){.sub = "list", .school = school});
    }
    const char *given = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            if (++i >= argc)
                return usage_error("cohort", "%s", "--db needs a path");
            db = argv[i];
        } else if (argv[i][0] == '-' || given) {
            return usage_error("cohort", "unexpected '%s'", argv[i]);
        } else {
            given = argv[i];
        }
    }
    char code[WIRE_CODE_LEN + 1];
    if (!given || wire_code_normalise(given, code) != 0)
        return usage_error("cohort", "%s", "give the class code to close or open");
    return cohort_run(db, &(struct cli_cohort_args){.sub = argv[1], .code = code});
}

static int cmd_report(int argc, char **argv)
{
    const char *db = STORE_DEFAULT_PATH, *format = "text", *k = NULL, *compare = NULL;
    struct report_options opt = {0};
    const struct value_option opts[] = {
        {"--db", &db},
        {"--cohort", &opt.cohort},
        {"--school", &opt.school},
        {"--format", &format},
        {"--k", &k},
        {"--compare", &compare},
        {"--package-version", &opt.version},
    };
    if (value_options("report", argc, argv, 1, opts, sizeof(opts) / sizeof(opts[0])) != EXIT_OK)
        return EXIT_INPUT;
    enum report_format f = strcmp(format, "text") == 0    ? REPORT_TEXT
                           : strcmp(format, "html") == 0  ? REPORT_HTML
                           : strcmp(format, "pilot") == 0 ? REPORT_PILOT
                                                          : REPORT_CSV;
    /* Data files: csv, codebook, sav, dta (report_export()). */
    int data = strcmp(format, "csv") == 0        ? REPORT_EXPORT_CSV
               : strcmp(format, "codebook") == 0 ? REPORT_EXPORT_CODEBOOK
               : strcmp(format, "sav") == 0      ? REPORT_EXPORT_SAV
               : strcmp(format, "dta") == 0      ? REPORT_EXPORT_DTA
                                                 : -1;
    if (f == REPORT_CSV && data < 0)
        return usage_error(
            "report", "--format must be text, html, pilot, csv, codebook, sav or dta, not '%s'",
            format);
    /* The pilot report is about package versions, each as a whole. */
    if (f == REPORT_PILOT && opt.cohort)
        return usage_error("report", "%s",
                           "--cohort is not for the pilot report, which covers every class of "
                           "a version");
    if (opt.version && (f != REPORT_PILOT || compare))
        return usage_error("report", "%s",
                           "--package-version is for --format pilot, without --compare");
    if ((data == REPORT_EXPORT_SAV || data == REPORT_EXPORT_DTA) && isatty(STDOUT_FILENO))
        return usage_error("report",
                           "--format %s writes a binary file: redirect it, as in "
                           "'> feedback.%s'",
                           format, format);
    if (k) {
        char *end;
        long v = strtol(k, &end, 10);
        if (*end || end == k || v < REPORT_K_MIN || v > 1000)
            return usage_error("report", "--k must be a whole number from %d to 1000",
                               REPORT_K_MIN);
        opt.k = (int)v;
    }
    if (compare && f == REPORT_CSV)
        return usage_error(
            "report", "%s",
            "--compare is for text and HTML; the data files hold one row per answer");
    char a[64] = "", *b = NULL;
    if (compare) {
        snprintf(a, sizeof(a), "%s", compare);
        b = strchr(a, ',');
        if (!b || !b[1] || b == a)
            return usage_error("report", "%s", "--compare takes two versions: OLD,NEW");
        *b++ = '\0';
        opt.compare_a = a;
        opt.compare_b = b;
    }
    /* The report names its source: never with a URL's password. */
    char shown[512];
    store_location_shown(db, shown, sizeof(shown));
    opt.source = shown;
    struct store *s;
    int rc = open_store("report", db, STORE_READ_ONLY, &s);
    if (rc != STORE_OK)
        return store_exit(rc);
    struct report *r = NULL;
    char err[256];
    rc = report_build(s, &opt, &r, err, sizeof(err));
    if (rc != STORE_OK) {
        fprintf(stderr, "planpack report: %s\n", err);
    } else {
        struct report_sink sink = {report_sink_file, stdout};
        int w = f == REPORT_CSV ? report_export(r, (enum report_export)data, &sink)
                                : report_write(r, f, &sink);
        if (w != 0 || fflush(stdout) != 0) {
            fprintf(stderr, "planpack report: writing the report failed\n");
            rc = STORE_ERR_IO;
        }
    }
    report_free(r);
    store_close(s);
    return store_exit(rc);
}

static int cmd_purge(int argc, char **argv)
{
    const char *db = STORE_DEFAULT_PATH, *days = NULL;
    const struct value_option opts[] = {{"--db", &db}, {"--older-than", &days}};
    if (value_options("purge", argc, argv, 1, opts, 2) != EXIT_OK)
        return EXIT_INPUT;
    char *end = NULL;
    long d = days ? strtol(days, &end, 10) : -1;
    if (!days || *end || end == days || d < 0 || d > 100000)
        return usage_error("purge", "%s", "give --older-than DAYS (a whole number of days)");
    struct store *s;
    int rc = open_store("purge", db, STORE_READ_WRITE, &s);
    if (rc != STORE_OK)
        return store_exit(rc);
    struct store_purged deleted;
    rc = store_purge(s, (int)d, &deleted);
    if (rc == STORE_OK)
        printf("deleted from before %ld days ago: %lld answers, %lld focus groups (by the day "
               "they were recorded), %lld ended sign-in sessions\n",
               d, (long long)deleted.answers, (long long)deleted.focus_groups,
               (long long)deleted.sessions);
    else
        fprintf(stderr, "planpack purge: %s\n", store_strerror(rc));
    store_close(s);
    return store_exit(rc);
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
     "export [PKGDIR] -o OUTDIR [--public-url URL]",
     "Writes every page, asset and a .gz beside each text file into OUTDIR, replacing an\n"
     "earlier export there. Nothing in the site loads from another host.\n"
     "  --public-url URL       the address where the site will be published; the lesson\n"
     "                         slides and the parents' letter show it as a QR code\n",
     cmd_export},
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
     cmd_serve},
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
     cmd_staff},
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
    {"purge", "Delete stored answers older than a number of days.",
     "purge [--db PATH] --older-than DAYS",
     "Answers and focus-group notes from before that many days ago are deleted and\n"
     "overwritten in the database file.\n",
     cmd_purge},
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
