#include "staff/cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/cli.h"
#include "base/form.h"
#include "staff/staff.h"
#include "store/cli.h"
#include "store/store.h"

/* A `planpack staff` subcommand, parsed, with the password it needs already read. */
struct cli_staff_args {
    const char *sub;      /* add, list, remove, passwd or sessions */
    const char *name;     /* the account (all but list) */
    const char *school;   /* add: the account's school; NULL for an evaluator (every school) */
    const char *password; /* add and passwd */
    const char *shown;    /* where the store is, as messages show it */
};

/* A `planpack cohort` subcommand, parsed (and, for new, the package's survey read). */
struct cli_cohort_args {
    const char *sub;                      /* new, list, close or open */
    const struct store_cohort_spec *spec; /* new: the class to make */
    const char *school;                   /* list: only this school's classes; NULL for all */
    const char *code;                     /* close and open: the class code, normalised */
};

/* The characters in UTF-8 text: what it takes of a terminal's width, near enough. */
static int text_width(const char *t)
{
    int n = 0;
    for (const unsigned char *u = (const unsigned char *)t; *u; u++)
        n += (*u & 0xc0) != 0x80;
    return n;
}

/*
 * Writes text typed by staff (a label, a school) for a terminal, padded to width
 * characters. The store refuses control characters in them; should a database hold one
 * all the same (written by other means), it is shown as '?', not sent to the terminal,
 * where it could move the cursor or retitle the window.
 */
static void put_text(FILE *out, const char *t, int width)
{
    size_t len = strlen(t);
    for (size_t i = 0; i < len; i++) {
        size_t control = utf8_control(t + i, len - i);
        putc(control ? '?' : t[i], out);
        i += control ? control - 1 : 0;
    }
    int n = text_width(t);
    fprintf(out, "%*s", width > n ? width - n : 0, "");
}

static int cli_staff_list(struct store *s, FILE *out, FILE *err)
{
    struct arena a = ARENA_INIT;
    struct store_staff_entry *e;
    size_t n;
    int rc = store_staff_list(s, store_now(s), &a, &e, &n);
    if (rc != STORE_OK)
        fprintf(err, "planpack staff: %s\n", store_strerror(rc));
    else if (n == 0)
        fprintf(err, "planpack staff: no accounts yet; add one with 'planpack staff add NAME'\n");
    else
        fprintf(out, "%-20s  %-8s  %s\n", "NAME", "SESSIONS", "SCHOOL");
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        put_text(out, e[i].name, 20);
        fprintf(out, "  %-8d  ", e[i].sessions);
        put_text(out, e[i].school ? e[i].school : "(evaluator: every school)", 0);
        putc('\n', out);
    }
    arena_release(&a);
    return rc;
}

/*
 * Every class code, oldest first, as a table; only school's when school is not NULL. Reads
 * without locking out a running server.
 */
static int cli_cohort_list(struct store *s, const char *school, FILE *out, FILE *err)
{
    struct arena a = ARENA_INIT;
    struct store_cohort *c;
    size_t n;
    int rc = store_cohorts(s, &a, &c, &n);
    if (rc != STORE_OK) {
        fprintf(err, "planpack cohort: %s\n", store_strerror(rc));
        goto out;
    }
    size_t shown = 0;
    int school_width = (int)strlen("SCHOOL");
    for (size_t i = 0; i < n; i++) {
        int w = c[i].school ? text_width(c[i].school) : 1;
        school_width = w > school_width && w <= 40 ? w : school_width;
    }
    for (size_t i = 0; i < n; i++) {
        if (school && (!c[i].school || strcmp(c[i].school, school) != 0))
            continue;
        if (shown++ == 0)
            fprintf(out, "%-8s  %-6s  %-10s  %-20s  %-*s  %s\n", "CODE", "STATE", "CREATED",
                    "PACKAGE", school_width, "SCHOOL", "LABEL");
        char day[11], package[64];
        store_day_format(c[i].created_day, day);
        snprintf(package, sizeof(package), "%s %s", c[i].package_id, c[i].package_version);
        fprintf(out, "%-8s  %-6s  %-10s  ", c[i].code, c[i].open ? "open" : "closed", day);
        put_text(out, package, 20);
        fputs("  ", out);
        put_text(out, c[i].school ? c[i].school : "-", school_width);
        fputs("  ", out);
        put_text(out, c[i].label, 0);
        putc('\n', out);
    }
    if (shown == 0)
        fprintf(err,
                "planpack cohort: no class codes%s%s yet; make one with "
                "'planpack cohort new --label TEXT'\n",
                school ? " of " : "", school ? school : "");
out:
    arena_release(&a);
    return rc;
}

/*
 * Makes a class code for spec (whose survey is the package's) and prints it alone on a line
 * of out, with a line on err saying where pupils use it. Warns when the package's survey
 * differs from the one stored for its version.
 */
static int cli_cohort_new(struct store *s, const struct store_cohort_spec *spec, FILE *out,
                          FILE *err)
{
    const struct survey *sv = spec->survey;
    bool changed = false;
    char code[WIRE_CODE_LEN + 1];
    int rc = store_survey_put(s, sv, &changed);
    if (rc == STORE_OK && changed)
        fprintf(err,
                "planpack cohort: warning: the survey of %s %s differs from the one stored "
                "for that version; raise the package's version number when the survey "
                "changes\n",
                sv->package_id, sv->package_version);
    if (rc == STORE_OK)
        rc = store_cohort_create(s, spec, code);
    if (rc != STORE_OK) {
        fprintf(err, "planpack cohort: %s\n",
                rc == STORE_ERR_INVALID ? "the label and school must be 1 to 200 characters "
                                          "of text, without control characters"
                                        : store_strerror(rc));
        return rc;
    }
    fprintf(out, "%s\n", code);
    fprintf(err, "class code for '%s' (%s %s): pupils open /feedback?c=%s\n", spec->label,
            sv->package_id, sv->package_version, code);
    return rc;
}

/* ---- planpack staff: one function a subcommand, and the table that names them ---- */

/*
 * The entry named sub in a table of n entries of size bytes each, every one beginning with
 * its name (a const char *); n when none is, or sub is NULL.
 */
static size_t sub_find(const void *table, size_t n, size_t size, const char *sub)
{
    for (size_t i = 0; sub && i < n; i++) {
        const char *name;
        memcpy(&name, (const char *)table + i * size, sizeof(name));
        if (strcmp(sub, name) == 0)
            return i;
    }
    return n;
}

static int staff_cmd_add(struct store *s, const struct cli_staff_args *a, FILE *out, FILE *err)
{
    char why[256];
    int rc = staff_add(s, a->name, a->school, a->password, strlen(a->password), why, sizeof(why));
    if (rc != STORE_OK)
        fprintf(err, "planpack staff: %s\n", why);
    else if (a->school)
        fprintf(out, "added staff account '%s' of %s to %s\n", a->name, a->school, a->shown);
    else
        fprintf(out, "added evaluator account '%s' (every school) to %s\n", a->name, a->shown);
    return rc;
}

static int staff_cmd_list(struct store *s, const struct cli_staff_args *a, FILE *out, FILE *err)
{
    (void)a;
    return cli_staff_list(s, out, err);
}

static int staff_cmd_passwd(struct store *s, const struct cli_staff_args *a, FILE *out, FILE *err)
{
    char why[256];
    int rc = staff_passwd(s, a->name, a->password, strlen(a->password), why, sizeof(why));
    if (rc != STORE_OK)
        fprintf(err, "planpack staff: %s\n", why);
    else
        fprintf(out, "changed the password of '%s'; its sessions have ended\n", a->name);
    return rc;
}

/* A store status of remove or sessions, said as the user needs it; false when it failed. */
static bool staff_done(int rc, const char *name, FILE *err)
{
    if (rc == STORE_ERR_NOT_FOUND)
        fprintf(err, "planpack staff: there is no account named '%s'\n", name);
    else if (rc != STORE_OK)
        fprintf(err, "planpack staff: %s\n", store_strerror(rc));
    return rc == STORE_OK;
}

static int staff_cmd_remove(struct store *s, const struct cli_staff_args *a, FILE *out, FILE *err)
{
    int rc = store_staff_remove(s, a->name);
    if (staff_done(rc, a->name, err))
        fprintf(out, "removed the account '%s' from %s; its sessions have ended\n", a->name,
                a->shown);
    return rc;
}

static int staff_cmd_sessions(struct store *s, const struct cli_staff_args *a, FILE *out, FILE *err)
{
    int64_t ended = 0;
    int rc = store_staff_end_sessions(s, a->name, &ended);
    if (staff_done(rc, a->name, err))
        fprintf(out, "ended %lld session%s of '%s'\n", (long long)ended, ended == 1 ? "" : "s",
                a->name);
    return rc;
}

static const struct {
    const char *name;
    int (*run)(struct store *s, const struct cli_staff_args *a, FILE *out, FILE *err);
} staff_cmds[] = {
    {"add", staff_cmd_add},       {"list", staff_cmd_list},         {"remove", staff_cmd_remove},
    {"passwd", staff_cmd_passwd}, {"sessions", staff_cmd_sessions},
};

#define STAFF_CMDS (sizeof(staff_cmds) / sizeof(staff_cmds[0]))

static bool cli_staff_known(const char *sub)
{
    return sub_find(staff_cmds, STAFF_CMDS, sizeof(staff_cmds[0]), sub) < STAFF_CMDS;
}

static int cli_staff(struct store *s, const struct cli_staff_args *a, FILE *out, FILE *err)
{
    size_t i = sub_find(staff_cmds, STAFF_CMDS, sizeof(staff_cmds[0]), a->sub);
    return i < STAFF_CMDS ? staff_cmds[i].run(s, a, out, err) : STORE_ERR_INVALID;
}

/* ---- planpack cohort: one function a subcommand, and the table that names them ---- */

static int cohort_cmd_new(struct store *s, const struct cli_cohort_args *a, FILE *out, FILE *err)
{
    return cli_cohort_new(s, a->spec, out, err);
}

static int cohort_cmd_list(struct store *s, const struct cli_cohort_args *a, FILE *out, FILE *err)
{
    return cli_cohort_list(s, a->school, out, err);
}

/* close and open: whether pupils can still answer with the class code. */
static int cohort_cmd_state(struct store *s, const struct cli_cohort_args *a, FILE *out, FILE *err)
{
    bool open = strcmp(a->sub, "open") == 0;
    int rc = store_cohort_set_open(s, a->code, open);
    if (rc == STORE_OK)
        fprintf(out, "class code %s is %s\n", a->code, open ? "open" : "closed");
    else
        fprintf(err, "planpack cohort: %s: %s\n", a->code,
                rc == STORE_ERR_NOT_FOUND ? "no such class code" : store_strerror(rc));
    return rc;
}

static const struct {
    const char *name;
    int (*run)(struct store *s, const struct cli_cohort_args *a, FILE *out, FILE *err);
} cohort_cmds[] = {
    {"new", cohort_cmd_new},
    {"list", cohort_cmd_list},
    {"close", cohort_cmd_state},
    {"open", cohort_cmd_state},
};

#define COHORT_CMDS (sizeof(cohort_cmds) / sizeof(cohort_cmds[0]))

static int cli_cohort(struct store *s, const struct cli_cohort_args *a, FILE *out, FILE *err)
{
    size_t i = sub_find(cohort_cmds, COHORT_CMDS, sizeof(cohort_cmds[0]), a->sub);
    return i < COHORT_CMDS ? cohort_cmds[i].run(s, a, out, err) : STORE_ERR_INVALID;
}

static bool cli_cohort_known(const char *sub)
{
    return sub_find(cohort_cmds, COHORT_CMDS, sizeof(cohort_cmds[0]), sub) < COHORT_CMDS;
}

/* ---- reading the command line ---- */

/* The options every staff subcommand reads: --db, --school (add only), --end (sessions). */
struct staff_options {
    const char *db, *name, *school;
    bool end;
};

static int staff_parse(int argc, char **argv, struct staff_options *o)
{
    const char *sub = argv[1];
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            if (++i >= argc)
                return cli_usage_error("staff", "%s", "--db needs a path");
            o->db = argv[i];
        } else if (strcmp(argv[i], "--school") == 0 && strcmp(sub, "add") == 0) {
            if (++i >= argc)
                return cli_usage_error("staff", "%s", "--school needs a school's name");
            o->school = argv[i];
        } else if (strcmp(argv[i], "--end") == 0 && strcmp(sub, "sessions") == 0) {
            o->end = true;
        } else if (argv[i][0] == '-') {
            return cli_usage_error("staff", "unknown option '%s'", argv[i]);
        } else if (o->name || strcmp(sub, "list") == 0) {
            return cli_usage_error("staff", "unexpected '%s'", argv[i]);
        } else {
            o->name = argv[i];
        }
    }
    if (strcmp(sub, "list") != 0 && !o->name)
        return cli_usage_error("staff", "no name: give 'staff %s NAME'", sub);
    if (strcmp(sub, "sessions") == 0 && !o->end)
        return cli_usage_error("staff", "%s", "give 'staff sessions --end NAME'");
    return EXIT_OK;
}

int staff_cli_staff(int argc, char **argv)
{
    if (argc < 2 || !cli_staff_known(argv[1]))
        return cli_usage_error(
            "staff", "%s",
            "give add, list, remove, passwd or sessions (see 'planpack help staff')");
    struct staff_options o = {.db = STORE_DEFAULT_PATH};
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
    int rc = store_cli_open(
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
out:
    store_close(s);
    explicit_bzero(password, sizeof(password));
    return store_cli_exit(rc);
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
        store_cli_open("cohort", db, list ? STORE_READ_ONLY : STORE_READ_WRITE,
                       list ? NULL : "while it runs use the Classes page of the staff pages", &s);
    if (rc == STORE_OK)
        rc = cli_cohort(s, a, stdout, stderr);
    store_close(s);
    return store_cli_exit(rc);
}

static int cohort_new(int argc, char **argv, const struct cli_survey_reader *reader)
{
    const char *db = STORE_DEFAULT_PATH, *label = NULL, *school = NULL, *dir = NULL;
    unsigned size = COHORT_SIZE_DEFAULT;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--size") == 0) {
            if (cli_option_number("cohort", argc, argv, &i, 0, STORE_CLASS_SIZE_MAX, &size) !=
                EXIT_OK)
                return EXIT_INPUT;
            continue;
        }
        const char **opt = strcmp(argv[i], "--db") == 0       ? &db
                           : strcmp(argv[i], "--label") == 0  ? &label
                           : strcmp(argv[i], "--school") == 0 ? &school
                                                              : NULL;
        if (opt) {
            if (++i >= argc)
                return cli_usage_error("cohort", "%s needs a value", argv[i - 1]);
            *opt = argv[i];
        } else if (cli_package_dir("cohort", argv[i], &dir) != EXIT_OK) {
            return EXIT_INPUT;
        }
    }
    if (!label || !*label)
        return cli_usage_error("cohort", "%s",
                               "no label: give --label TEXT (e.g. \"Year 9 PSHE\")");
    struct arena a = ARENA_INIT;
    struct survey sv;
    void *held = NULL;
    int rc = reader->open(dir, &a, &sv, &held);
    if (rc != EXIT_OK)
        goto out;
    if (sv.count == 0) {
        fprintf(stderr, "planpack cohort: the package has no survey questions (a page with "
                        "kind: survey)\n");
        rc = store_cli_exit(STORE_ERR_INVALID);
        goto out;
    }
    struct store_cohort_spec spec = {
        .label = label, .school = school, .survey = &sv, .expected_size = (int)size};
    rc = cohort_run(db, &(struct cli_cohort_args){.sub = "new", .spec = &spec});
out:
    arena_release(&a);
    reader->close(held);
    return rc;
}

int staff_cli_cohort(int argc, char **argv, const struct cli_survey_reader *reader)
{
    if (argc < 2 || !cli_cohort_known(argv[1]))
        return cli_usage_error("cohort", "%s",
                               "give 'new --label TEXT', 'list', 'close CODE' or 'open CODE'");
    if (strcmp(argv[1], "new") == 0)
        return cohort_new(argc, argv, reader);
    const char *db = STORE_DEFAULT_PATH;
    if (strcmp(argv[1], "list") == 0) {
        const char *school = NULL;
        const struct cli_value_option opts[] = {{"--db", &db}, {"--school", &school}};
        if (cli_value_options("cohort", argc, argv, 2, opts, 2) != EXIT_OK)
            return EXIT_INPUT;
        return cohort_run(db, &(struct cli_cohort_args){.sub = "list", .school = school});
    }
    const char *given = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            if (++i >= argc)
                return cli_usage_error("cohort", "%s", "--db needs a path");
            db = argv[i];
        } else if (argv[i][0] == '-' || given) {
            return cli_usage_error("cohort", "unexpected '%s'", argv[i]);
        } else {
            given = argv[i];
        }
    }
    char code[WIRE_CODE_LEN + 1];
    if (!given || wire_code_normalise(given, code) != 0)
        return cli_usage_error("cohort", "%s", "give the class code to close or open");
    return cohort_run(db, &(struct cli_cohort_args){.sub = argv[1], .code = code});
}
