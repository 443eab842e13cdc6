/* The session as the RDP side sees it (rdp/host.h): one table of
 * functions, the only way connections reach the object model. Each entry
 * is thread-safe: it reads atomics, takes s->lock or an attendee's
 * wake_lock briefly, or queues an event for the owner thread. */
#include "session_internal.h"

static rdpshare_session *session_of(void *ctx)
{
	return ctx;
}

static rdpshare_attendee *attendee_of(struct host_member *m)
{
	return (rdpshare_attendee *)m;
}

static void host_state(void *ctx, struct host_state *out)
{
	rdpshare_session *s = session_of(ctx);
	int l, t, r, b;
	session_get_rect(s, &l, &t, &r, &b);
	*out = (struct host_state){
	    .paused = atomic_load(&s->paused),
	    .color_depth = atomic_load(&s->color_depth),
	    .graphics_pipeline = props_get(&s->props, PROP_GRAPHICS_PIPELINE) != 0,
	    .max_frames_in_flight = (int)props_get(&s->props, PROP_MAX_FRAMES_IN_FLIGHT),
	    .clipboard = props_get(&s->props, PROP_ENABLE_CLIPBOARD) != 0,
	    .clip_owner = atomic_load(&s->clip_owner),
	    .board = s->clipboard,
	    .rect_w = r - l,
	    .rect_h = b - t,
	    .handshake_timeout_ms = (int)props_get(&s->props, PROP_HANDSHAKE_TIMEOUT),
	};
}

static int host_admit(void *ctx, const struct admission *adm, struct host_member **out)
{
	rdpshare_attendee *a = NULL;
	int why = session_admit(session_of(ctx), adm, &a);
	*out = (struct host_member *)a;
	return why;
}

static void host_bind(void *ctx, struct host_member *m, void (*wake)(void *), void *conn)
{
	(void)ctx;
	attendee_bind(attendee_of(m), wake, conn);
}

static void host_info(void *ctx, struct host_member *m, struct member_info *out)
{
	(void)ctx;
	rdpshare_attendee *a = attendee_of(m);
	*out = (struct member_info){
	    .id = a->id,
	    .name = a->name,
	    .level = atomic_load(&a->level),
	    .terminate = atomic_load(&a->terminate),
	};
}

static struct member_stats *host_stats(void *ctx, struct host_member *m)
{
	(void)ctx;
	return &attendee_of(m)->stats;
}

static void host_note_latency(void *ctx, struct host_member *m, int64_t us)
{
	(void)ctx;
	attendee_note_latency(attendee_of(m), us);
}

static void host_ref(void *ctx, struct host_member *m)
{
	(void)ctx;
	attendee_ref(attendee_of(m));
}

static void host_unref(void *ctx, struct host_member *m)
{
	(void)ctx;
	attendee_unref(attendee_of(m));
}

static void host_ready(void *ctx, struct host_member *m)
{
	session_attendee_ready(session_of(ctx), attendee_of(m));
}

static void host_gone(void *ctx, struct host_member *m, int reason, int code, bool announced)
{
	session_attendee_gone(session_of(ctx), attendee_of(m),
	                      (enum rdpshare_disconnect_reason)reason, code, announced);
}

static void host_refused(void *ctx, int why, const char *name, const char *address)
{
	session_post_refusal(session_of(ctx), (enum rdpshare_refusal)why, name, address);
}

static void host_control_request(void *ctx, struct host_member *m, int level)
{
	session_post_control_request(session_of(ctx), attendee_of(m), level);
}

static int host_take_answers(void *ctx, struct host_member *m, int *levels, long *reasons, int max)
{
	(void)ctx;
	return attendee_take_outbox(attendee_of(m), levels, reasons, max);
}

static void host_show_window(void *ctx, uint32_t id)
{
	appfilter_show_window(session_of(ctx)->af, id);
}

static uint64_t host_filter_copy(void *ctx, uint64_t since, struct mp_filter *out)
{
	return appfilter_copy_for_viewers(session_of(ctx)->af, since, out);
}

static int host_n_channels(void *ctx)
{
	return session_of(ctx)->n_channels;
}

static const char *host_channel_name(void *ctx, int i)
{
	return rdpshare_channel_name(session_of(ctx)->channels[i]);
}

static size_t host_channel_max_message(void *ctx, int i)
{
	return (channel_flags(session_of(ctx)->channels[i]) & RDPSHARE_CHANNEL_FLAGS_LEGACY)
	           ? RDPSHARE_CHANNEL_MAX_MESSAGE_LEGACY
	           : RDPSHARE_CHANNEL_MAX_MESSAGE;
}

static bool host_channel_access(void *ctx, int i, struct host_member *m)
{
	return rdpshare_channel_get_access(session_of(ctx)->channels[i], attendee_of(m)->id) ==
	       RDPSHARE_CHANNEL_ACCESS_SENDRECEIVE;
}

static struct chan_msg *host_take_chan_msgs(void *ctx, struct host_member *m)
{
	(void)ctx;
	return attendee_take_chan_msgs(attendee_of(m));
}

static void host_channel_event(void *ctx, enum host_channel_event ev, int i, struct host_member *m,
                               const void *data, size_t len)
{
	static const int types[] = {
	    [HOST_CHANNEL_JOINED] = EV_CHANNEL_JOINED,
	    [HOST_CHANNEL_LEFT] = EV_CHANNEL_LEFT,
	    [HOST_CHANNEL_DATA] = EV_CHANNEL_DATA,
	    [HOST_CHANNEL_SENT] = EV_CHANNEL_SENT,
	};
	rdpshare_session *s = session_of(ctx);
	session_post_channel_event(s, types[ev], s->channels[i], attendee_of(m), data, len);
}

const struct rdp_host_ops session_host_ops = {
    .state = host_state,
    .admit = host_admit,
    .bind = host_bind,
    .info = host_info,
    .stats = host_stats,
    .note_latency = host_note_latency,
    .ref = host_ref,
    .unref = host_unref,
    .ready = host_ready,
    .gone = host_gone,
    .refused = host_refused,
    .control_request = host_control_request,
    .take_answers = host_take_answers,
    .show_window = host_show_window,
    .filter_copy = host_filter_copy,
    .n_channels = host_n_channels,
    .channel_name = host_channel_name,
    .channel_max_message = host_channel_max_message,
    .channel_access = host_channel_access,
    .take_chan_msgs = host_take_chan_msgs,
    .channel_event = host_channel_event,
};
