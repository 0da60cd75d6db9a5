/*
 * The server's route table and the page ids a package may not take are one list kept in
 * two places: base/reserved.h (which the package loader reads, at the bottom of the
 * pipeline) and web/routes.c. A route whose address hides a page must have its first name
 * reserved, and the loader must refuse every reserved name.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/fileset.h"
#include "base/reserved.h"
#include "pkg/pkg.h"
#include "web/server_internal.h"

/*
 * A page's address is /ID. A route at /NAME (one name: "/feedback/sent" or the staff pages'
 * "/staff/" can never be a page's) has NAME reserved, or starting with '_' (never an id),
 * or says that it shares that address with a page.
 */
static void test_routes_reserve_their_names(void **state)
{
    (void)state;
    char name[64];
    bool page = false;
    size_t n = 0;
    for (size_t i = 0; route_name(i, name, sizeof(name), &page); i++, n++) {
        if (strchr(name, '/'))
            continue;
        if (page) {
            /* A page of that id is the route's own GET: it must be allowed. */
            if (reserved_page_id(name))
                fail_msg("route /%s shares a page's address, yet the id is reserved", name);
        } else if (name[0] != '_' && !reserved_page_id(name)) {
            fail_msg("route /%s would hide a page '%s': add it to RESERVED_PAGE_IDS", name, name);
        }
    }
    assert_true(n >= 5);
    assert_false(route_name(n, name, sizeof(name), &page));
}

/* The loader refuses each reserved name as a page id, with the author's line. */
static void test_loader_refuses_reserved_ids(void **state)
{
    (void)state;
    static const char *const reserved[] = RESERVED_PAGE_IDS;
    static const char page[] = "---\ntitle: A page\n---\nSome words.\n";
    for (size_t i = 0; i < RESERVED_PAGE_ID_COUNT; i++) {
        char manifest[256], path[64], want[256];
        snprintf(manifest, sizeof(manifest),
                 "id: one\ntitle: One\nversion: 1.0.0\nlanguage: en\naudience: Testers\n"
                 "reading_age: 11\npages: [start, %s]\n",
                 reserved[i]);
        snprintf(path, sizeof(path), "pages/%s.md", reserved[i]);
        const struct file_entry entries[] = {
            {"package.yaml", (const unsigned char *)manifest, strlen(manifest)},
            {"pages/start.md", (const unsigned char *)page, sizeof(page) - 1},
            {path, (const unsigned char *)page, sizeof(page) - 1},
        };
        struct fileset fs;
        struct diag_list diags;
        diag_list_init(&diags);
        fileset_borrow(&fs, entries, 3);
        struct pkg *p = pkg_load(&fs, &diags);
        snprintf(want, sizeof(want),
                 "package.yaml:7: error: '%s' cannot be a page id: planpack uses that address "
                 "itself\n",
                 reserved[i]);
        struct buf out;
        buf_init(&out, 1 << 16);
        diag_write(&diags, NULL, DIAG_ERROR, &out);
        assert_string_equal(out.ptr ? out.ptr : "", want);
        buf_release(&out);
        pkg_free(p);
        fileset_release(&fs);
        diag_list_release(&diags);
    }
    assert_false(reserved_page_id("start"));
    assert_false(reserved_page_id("plan"));
    assert_false(reserved_page_id(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes_reserve_their_names),
        cmocka_unit_test(test_loader_refuses_reserved_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
