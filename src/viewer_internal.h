/* Inside rdpshare_viewer (viewer.c: the API and dispatch; viewer_net.c: the
 * network thread and its targets; viewer_lists.c: the multiparty lists). */
#ifndef RDPSHARE_VIEWER_INTERNAL_H
#define RDPSHARE_VIEWER_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "events.h"
#include "rdp/client.h"
#include "rdpshare.h"
#include "util/connstr.h"

#define VIEWER_MAX_DAMAGE 64
/* channel payloads waiting for dispatch, beyond which messages are dropped */
#define VIEWER_MAX_QUEUED_DATA (16u << 20)
#define VIEWER_MAX_NAME 255
/* the most entries a sharer can make us keep: beyond, new ones are ignored */
#define VIEWER_MAX_ATTENDEES 1024
#define VIEWER_MAX_ITEMS 4096

/* One connect (or reverse listen), handed to the network thread. */
struct viewer_job {
	struct connstr cs; /* addresses (a HOST:PORT target is its one address) */
	int listen_fd;     /* reverse connect: accept here first */
	int timeout_ms;    /* ... for at most this long (0: no limit) */
	int64_t deadline_us;
	char *name, *password;
	const char *ticket; /* in cs */
	char *expect_kh;
	const char *expect_from;
	bool known_hosts, insecure;
};

struct viewer_list {
	struct rdpshare_viewer_share_item *items; /* names malloc'd */
	int n, cap;
};

struct rdpshare_viewer {
	pthread_t owner;
	struct rdpshare_viewer_callbacks cb;
	void *ud;
	char *kh, *known_hosts;
	bool insecure;
	char *channels[RDP_CLIENT_MAX_CHANNELS];
	int n_channels;
	struct rdp_client *client;
	struct event_queue q;
	/* the network thread; busy from connect until its final event is
	 * dispatched */
	pthread_t thread;
	bool busy;
	struct viewer_job *job;
	int stop_fd; /* wakes a reverse listen */
	/* shared with the network thread, under lock */
	pthread_mutex_t lock;
	uint8_t *stage;
	int sw, sh;
	struct rdpshare_viewer_rect damage[VIEWER_MAX_DAMAGE];
	int n_damage;
	bool frame_posted;
	bool size_posted; /* a resize waits: size_w x size_h at size_bpp */
	int size_w, size_h, size_bpp;
	uint64_t updates;
	int64_t arrived_us, connected_us, first_update_us;
	/* the owner thread's */
	uint8_t *front;
	int fw, fh;
	uint64_t front_updates;
	int64_t front_arrived_us;
	bool authenticated;
	enum rdpshare_ctrl_level level;
	int self_id;
	bool paused, filter;
	struct rdpshare_viewer_attendee *att; /* names malloc'd */
	int n_att, cap_att;
	struct viewer_list apps, windows;
};

/* The multiparty PDU as it travels to the owner thread (name in s1). */
struct viewer_mp_ev {
	uint16_t type, flags;
	uint32_t id, app, disc_type, disc_code, reason;
};

struct viewer_cert_ev {
	struct rdpshare_viewer_certificate c;
	char host[256], kh[64], expected[64], from[16], known_hosts[4096];
};

/* viewer_net.c */
extern const struct rdp_client_listener viewer_listener_proto;
/* Build the job for target (see rdpshare_viewer_connect). */
int viewer_job_for_target(rdpshare_viewer *v, const char *target, struct viewer_job **out);
/* Start the network thread on v->job (taken over). */
int viewer_start(rdpshare_viewer *v);
void viewer_job_free(struct viewer_job *j);
/* Listen for a reverse connection; *connstr says where. */
int viewer_listen(const char *address, int *fd, char **connstr);
void viewer_post(rdpshare_viewer *v, struct event *ev);
/* viewer.c: wait for the network thread and forget its connection */
void viewer_join_net(rdpshare_viewer *v);

/* viewer_lists.c: a multiparty PDU on the owner thread */
void viewer_handle_mp(rdpshare_viewer *v, const struct viewer_mp_ev *e, const char *name);
void viewer_lists_clear(rdpshare_viewer *v);

#endif
