/* An invitation file written by invfile_write must be what FreeRDP 3's own
 * reader makes a Remote Assistance connection from: host, port and session id
 * taken from the file, as `xfreerdp3 FILE.msrcIncident /assistance:PASSWORD`
 * does. These tests pin FreeRDP's behaviour as well as ours: if a FreeRDP update
 * changes how it reads assistance files, they say so (see connstr.c's header). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <freerdp/assistance.h>
#include <freerdp/settings.h>

#include "util/connstr.h"

#define PASSWORD "PASSWORD"
#define AUTH "+ULZ6ifjoCa6cGPMLQiGHRPwkg6VyJqGwxMnO6GcelwUh9a6/FBq3It5ADSndmLL"
#define KH "BNRjdu97DyczQSRuMRrDWoue+HA="

struct fixture {
	char dir[64];
	char path[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f) {
		return -1;
	}
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_invfile_freerdp.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	/* xfreerdp3 only treats its first argument as an assistance file when the
	 * name ends in .msrcIncident. */
	snprintf(f->path, sizeof(f->path), "%s/invite.msrcIncident", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	DIR *dh = opendir(f->dir);
	struct dirent *e;
	char p[512];

	while (dh && (e = readdir(dh)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			snprintf(p, sizeof(p), "%s/%s", f->dir, e->d_name);
			unlink(p);
		}
	}
	if (dh) {
		closedir(dh);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct connstr_addr addr(const char *host, uint16_t port)
{
	struct connstr_addr a;

	memset(&a, 0, sizeof(a));
	snprintf(a.host, sizeof(a.host), "%s", host);
	a.port = port;
	return a;
}

static char *write_invitation(const char *path, const char *auth, const char *kh,
                              const struct connstr_addr *addrs, size_t n)
{
	char *cs = NULL;

	assert_int_equal(connstr_build(auth, kh, addrs, n, &cs), 0);
	assert_int_equal(invfile_write(path, cs), 0);
	return cs;
}

/* What freerdp_client_settings_parse_assistance_file() does for xfreerdp3. */
static rdpSettings *freerdp_read(const char *path)
{
	rdpAssistanceFile *file = freerdp_assistance_file_new();
	rdpSettings *settings = freerdp_settings_new(0);
	BOOL ok;

	assert_non_null(file);
	assert_non_null(settings);
	if (freerdp_assistance_parse_file(file, path, PASSWORD) < 0) {
		freerdp_assistance_file_free(file);
		freerdp_settings_free(settings);
		return NULL;
	}
	ok = freerdp_assistance_populate_settings_from_assistance_file(file, settings);
	freerdp_assistance_file_free(file);
	if (!ok) {
		freerdp_settings_free(settings);
		return NULL;
	}
	return settings;
}

static void expect_target(const rdpSettings *s, const char *host, uint32_t port,
                          const char *session_id)
{
	assert_true(freerdp_settings_get_bool(s, FreeRDP_RemoteAssistanceMode));
	assert_string_equal(freerdp_settings_get_string(s, FreeRDP_ServerHostname), host);
	assert_int_equal(freerdp_settings_get_uint32(s, FreeRDP_ServerPort), port);
	assert_string_equal(freerdp_settings_get_string(s, FreeRDP_RemoteAssistanceSessionId),
	                    session_id);
	assert_string_equal(freerdp_settings_get_string(s, FreeRDP_RemoteAssistancePassword),
	                    PASSWORD);
}

static void test_freerdp_reads_invitation(void **state)
{
	struct fixture *f = *state;
	struct connstr_addr a[3] = {addr("192.168.1.200", 49230),
	                            addr("fe80::1032:53d9:5a01:909b%3", 49228),
	                            addr("desk.example.org", 3390)};
	char *cs = write_invitation(f->path, AUTH, KH, a, 3);
	rdpSettings *s = freerdp_read(f->path);

	assert_non_null(s);
	expect_target(s, "192.168.1.200", 49230, AUTH);
	/* The whole string goes to the server in the remdesk channel. */
	assert_string_equal(freerdp_settings_get_string(s, FreeRDP_RemoteAssistanceRCTicket), cs);
	/* Every address reaches FreeRDP's list of targets. */
	assert_int_equal(freerdp_settings_get_uint32(s, FreeRDP_TargetNetAddressCount), 3);
	freerdp_settings_free(s);
	free(cs);
}

static void test_freerdp_reads_buffer(void **state)
{
	struct fixture *f = *state;
	struct connstr_addr a = addr("desk.example.org", 3389);
	char *cs = write_invitation(f->path, AUTH, NULL, &a, 1);
	rdpAssistanceFile *file = freerdp_assistance_file_new();
	rdpSettings *s = freerdp_settings_new(0);
	char buf[4096];
	FILE *fp = fopen(f->path, "r");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	/* FreeRDP 3 takes the size with the terminating NUL (and warns without) */
	assert_true(freerdp_assistance_parse_file_buffer(file, buf, n + 1, PASSWORD) >= 0);
	assert_true(freerdp_assistance_populate_settings_from_assistance_file(file, s));
	expect_target(s, "desk.example.org", 3389, AUTH);
	freerdp_assistance_file_free(file);
	freerdp_settings_free(s);
	free(cs);
}

static void test_freerdp_first_address_wins(void **state)
{
	struct fixture *f = *state;
	struct connstr_addr v6[2] = {addr("fe80::3d8f:9b2d:6b4e:6aa%6", 49229),
	                             addr("192.168.1.200", 49230)};
	struct connstr_addr name[2] = {addr("desk.example.org", 65535),
	                               addr("192.168.1.200", 49230)};
	char *cs = write_invitation(f->path, AUTH, KH, v6, 2);
	rdpSettings *s = freerdp_read(f->path);

	assert_non_null(s);
	expect_target(s, "fe80::3d8f:9b2d:6b4e:6aa%6", 49229, AUTH);
	freerdp_settings_free(s);
	free(cs);

	cs = write_invitation(f->path, AUTH, KH, name, 2);
	s = freerdp_read(f->path);
	assert_non_null(s);
	expect_target(s, "desk.example.org", 65535, AUTH);
	freerdp_settings_free(s);
	free(cs);
}

/* FreeRDP 2 dropped every L whose N was 8 bytes or shorter ("length > 8" in
 * freerdp_assistance_parse_connection_string2); FreeRDP 3 keeps them, so the
 * first address is the target however short. Pinned so a change is noticed. */
static void test_freerdp_keeps_short_addresses(void **state)
{
	struct fixture *f = *state;
	struct connstr_addr a[2] = {addr("10.0.0.1", 3389), addr("192.168.1.200", 3390)};
	struct connstr_addr only_short = addr("::1", 3389);
	char *cs = write_invitation(f->path, AUTH, KH, a, 2);
	rdpSettings *s = freerdp_read(f->path);

	assert_non_null(s);
	expect_target(s, "10.0.0.1", 3389, AUTH);
	assert_int_equal(freerdp_settings_get_uint32(s, FreeRDP_TargetNetAddressCount), 2);
	freerdp_settings_free(s);
	free(cs);

	cs = write_invitation(f->path, AUTH, KH, &only_short, 1);
	s = freerdp_read(f->path);
	assert_non_null(s);
	expect_target(s, "::1", 3389, AUTH);
	freerdp_settings_free(s);
	free(cs);
}

/* Without an ID FreeRDP has no session id and refuses the file. */
static void test_freerdp_refuses_reverse_connect(void **state)
{
	struct fixture *f = *state;
	struct connstr_addr a = addr("192.168.1.200", 3389);
	char *cs = write_invitation(f->path, NULL, NULL, &a, 1);

	assert_non_null(strstr(cs, "<A/>"));
	assert_null(freerdp_read(f->path));
	free(cs);
}

typedef int (*parse_cmdline_fn)(rdpSettings *settings, int argc, char **argv, BOOL allow_unknown);

/* The real command-line path of xfreerdp3, from libfreerdp-client3, opened at
 * run time because the project's test link line does not carry that library. */
static void test_freerdp_command_line(void **state)
{
	struct fixture *f = *state;
	struct connstr_addr a = addr("192.168.1.200", 49230);
	char *cs = write_invitation(f->path, AUTH, KH, &a, 1);
	char arg_prog[] = "xfreerdp3";
	char arg_pw[] = "/assistance:" PASSWORD;
	char *file_first[] = {arg_prog, f->path, arg_pw, NULL};
	char *file_last[] = {arg_prog, arg_pw, f->path, NULL};
	void *lib = dlopen("libfreerdp-client3.so.3", RTLD_NOW | RTLD_LOCAL);
	parse_cmdline_fn parse_cmdline;
	rdpSettings *s;
	const char *host;

	if (!lib) {
		free(cs);
		cs = NULL;
		fail_msg("libfreerdp-client3 is needed (apt-get install libfreerdp-client3-3): %s",
		         dlerror());
	}
	parse_cmdline = (parse_cmdline_fn)dlsym(lib, "freerdp_client_settings_parse_command_line");
	assert_non_null(parse_cmdline);

	s = freerdp_settings_new(0);
	assert_non_null(s);
	assert_true(parse_cmdline(s, 3, file_first, FALSE) >= 0);
	expect_target(s, "192.168.1.200", 49230, AUTH);
	freerdp_settings_free(s);

	/* `xfreerdp3 /assistance:PW FILE` is refused ("Unexpected keyword"): only
	 * argv[1] is checked for the .msrcIncident suffix, and a later bare file
	 * name is no option. Pinned so that callers' help texts stay right. */
	s = freerdp_settings_new(0);
	assert_non_null(s);
	assert_true(parse_cmdline(s, 3, file_last, FALSE) < 0);
	host = freerdp_settings_get_string(s, FreeRDP_ServerHostname);
	assert_true(host == NULL || strcmp(host, "192.168.1.200") != 0);
	freerdp_settings_free(s);
	dlclose(lib);
	free(cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_freerdp_reads_invitation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_freerdp_reads_buffer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_freerdp_first_address_wins, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_freerdp_keeps_short_addresses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_freerdp_refuses_reverse_connect, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_freerdp_command_line, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
