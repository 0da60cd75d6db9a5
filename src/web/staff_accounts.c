/*
 * /staff/accounts: staff accounts and their sessions. An evaluator (an account without a
 * school) sees every account and may give one a new password, sign it out everywhere, or
 * remove it (not their own: that is `planpack staff remove`, so that the last evaluator
 * cannot lock everyone out by mistake). School staff see their own account only and may
 * change its password. A new password ends every session of the account, the one in use
 * too. The same as `planpack staff list|passwd|remove|sessions --end`.
 */
#include <stdio.h>
#include <string.h>

#include "staff/staff.h"
#include "web/staff_pages.h"

/* Whether the account may manage other accounts: evaluators may. */
static bool manages_accounts(const struct staff_page *p)
{
    return p->sess->school == NULL;
}

/* A small form that posts one account's name to action, with a button. */
static void name_form(struct staff_page *p, const char *action, const char *name,
                      const char *button)
{
    struct buf *b = p->out;
    buf_addf(b, "<form method=\"post\" action=\"%s\">", action);
    staff_page_csrf(p);
    buf_addf_html(b, "<input type=\"hidden\" name=\"name\" value=\"%s", name);
    buf_addf(b, "\"><button type=\"submit\">%s</button></form>", button);
}

static void account_row(struct staff_page *p, const struct store_staff_entry *e)
{
    struct buf *b = p->out;
    bool self = strcmp(e->name, p->sess->staff_name) == 0;
    buf_addf_html(b, "<tr><th scope=\"row\">%s", e->name);
    buf_adds(b, self ? " (you)</th><td>" : "</th><td>");
    buf_adds_html(b, e->school ? e->school : "evaluator: every school");
    buf_addf(b, "</td><td>%d</td><td>", e->sessions);
    if (manages_accounts(p)) {
        name_form(p, "/staff/accounts/end", e->name, "Sign out everywhere");
        if (!self)
            name_form(p, "/staff/accounts/remove", e->name, "Remove");
    }
    buf_adds(b, "</td></tr>\n");
}

/* The page, with an error above the password form (typed name kept) when error is set. */
static unsigned accounts_page(struct staff_page *p, unsigned status, const char *error,
                              const char *name)
{
    struct store_staff_entry *all;
    size_t n;
    if (store_staff_list(p->st, store_now(p->st), p->a, &all, &n) != STORE_OK)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The accounts could not be read. Please try again.");
    struct buf *b = p->out;
    staff_page_open(p, "Accounts");
    const char *done = form_get(p->query, "done");
    if (!error && done) {
        buf_adds(b, "<p class=\"notice\" role=\"status\">");
        buf_adds_html(b, strcmp(done, "removed") == 0  ? "The account has been removed."
                         : strcmp(done, "ended") == 0  ? "The account has been signed out."
                         : strcmp(done, "passwd") == 0 ? "The password has been changed, and "
                                                         "the account signed out."
                                                       : "Done.");
        buf_adds(b, "</p>\n");
    }
    buf_adds(b, "<div class=\"scroll\" role=\"region\" aria-label=\"Accounts\" tabindex=\"0\">\n"
                "<table class=\"accounts\">\n<caption>Staff accounts</caption>\n<thead><tr>"
                "<th scope=\"col\">Name</th><th scope=\"col\">School</th>"
                "<th scope=\"col\">Sessions in use</th><th scope=\"col\">Change</th></tr></thead>"
                "\n<tbody>\n");
    for (size_t i = 0; i < n; i++)
        if (manages_accounts(p) || strcmp(all[i].name, p->sess->staff_name) == 0)
            account_row(p, &all[i]);
    buf_adds(b, "</tbody>\n</table>\n</div>\n<h2>Set a new password</h2>\n");
    if (error)
        staff_page_error(p, error);
    buf_adds(b, "<p>A new password signs the account out everywhere, here too. Use at least "
                "12 characters: a few words make a good one.</p>\n"
                "<form method=\"post\" action=\"/staff/accounts/passwd\">\n");
    staff_page_csrf(p);
    if (manages_accounts(p)) {
        buf_adds(b, "\n<div class=\"field\"><label for=\"a-name\">Account name</label>\n"
                    "<input id=\"a-name\" name=\"name\" required autocapitalize=\"none\" "
                    "spellcheck=\"false\" value=\"");
        buf_addf_html(b, "%s\"></div>\n", name ? name : p->sess->staff_name);
    } else {
        buf_addf_html(b, "<input type=\"hidden\" name=\"name\" value=\"%s\">\n",
                      p->sess->staff_name);
    }
    buf_adds(b, "<div class=\"field\"><label for=\"a-password\">New password</label>\n"
                "<input id=\"a-password\" name=\"password\" type=\"password\" "
                "autocomplete=\"new-password\" required></div>\n"
                "<p><button type=\"submit\">Set the password</button></p>\n</form>\n");
    staff_page_close(p);
    return status;
}

unsigned staff_accounts_get(struct staff_page *p)
{
    return accounts_page(p, HTTP_OK, NULL, NULL);
}

/*
 * The account a form names, if this account may change it: evaluators any, school staff
 * only their own. NULL (and the page to answer in *status) otherwise.
 */
static const char *changeable(struct staff_page *p, bool others, unsigned *status)
{
    const char *name = form_get(p->body, "name");
    bool self = name && strcmp(name, p->sess->staff_name) == 0;
    if (name && (self || (others && manages_accounts(p))))
        return name;
    *status = staff_page_message(p, HTTP_FORBIDDEN, "Not allowed",
                                 "Only evaluators may change other accounts.");
    return NULL;
}

static unsigned store_failed(struct staff_page *p, int rc)
{
    if (rc == STORE_ERR_NOT_FOUND)
        return staff_page_message(p, HTTP_NOT_FOUND, "No such account",
                                  "There is no account of that name.");
    return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                              "The account could not be changed. Please try again.");
}

unsigned staff_accounts_passwd(struct staff_page *p)
{
    unsigned status;
    const char *name = changeable(p, true, &status);
    if (!name)
        return status;
    const char *password = form_get(p->body, "password");
    char err[256];
    int rc = staff_passwd(p->st, name, password ? password : "", password ? strlen(password) : 0,
                          err, sizeof(err));
    if (rc == STORE_ERR_INVALID) {
        char msg[300];
        snprintf(msg, sizeof(msg), "The password was not changed: %s.", err);
        return accounts_page(p, HTTP_BAD_REQUEST, msg, name);
    }
    if (rc != STORE_OK)
        return store_failed(p, rc);
    return staff_page_redirect(p, "/staff/accounts?done=passwd");
}

unsigned staff_accounts_end(struct staff_page *p)
{
    unsigned status;
    const char *name = changeable(p, true, &status);
    if (!name)
        return status;
    int rc = store_staff_end_sessions(p->st, name, NULL);
    if (rc != STORE_OK)
        return store_failed(p, rc);
    return staff_page_redirect(p, "/staff/accounts?done=ended");
}

unsigned staff_accounts_remove(struct staff_page *p)
{
    unsigned status;
    const char *name = changeable(p, true, &status);
    if (!name)
        return status;
    if (strcmp(name, p->sess->staff_name) == 0)
        return staff_page_message(p, HTTP_BAD_REQUEST, "Not removed",
                                  "You cannot remove your own account here. Another evaluator "
                                  "can, or use planpack staff remove on the server.");
    int rc = store_staff_remove(p->st, name);
    if (rc != STORE_OK)
        return store_failed(p, rc);
    return staff_page_redirect(p, "/staff/accounts?done=removed");
}
