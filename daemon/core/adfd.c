/* The daemon's context: its settings, templates and groups, read at start
 * and again on reload. */
#include "config.h"

#include <grp.h>
#include <stdlib.h>
#include <string.h>

#include "adfd.h"
#include "log.h"

static void resolve_one(const char *name, gid_t *gid, bool *set, const char *what)
{
	struct group *gr = getgrnam(name);
	*set = gr != NULL;
	if (gr)
		*gid = gr->gr_gid;
	else
		log_debug("%s \"%s\" does not exist: nobody gets that role through it", what, name);
}

void adfd_resolve_groups(struct adfd *d)
{
	resolve_one(d->cfg.admin_group, &d->admin_gid, &d->admin_gid_set, "admin_group");
	resolve_one(d->cfg.read_group, &d->read_gid, &d->read_gid_set, "read_group");
}

/* The templates of the settings; every reminder rule's must exist. */
int adfd_load_templates(const struct settings *cfg, struct templates *out, struct adf_error *err)
{
	if (templates_load(out, cfg->templates_directory, err) < 0)
		return -1;
	for (size_t i = 0; i < cfg->reminders_len; i++)
		if (!template_find(out, cfg->reminders[i].template)) {
			adf_fail(
			    err, ADF_E_BAD_REQUEST,
			    "%s: reminder \"%s\" uses the template \"%s\", which does not exist",
			    cfg->path ? cfg->path : "settings", cfg->reminders[i].name,
			    cfg->reminders[i].template);
			templates_free(out);
			return -1;
		}
	return 0;
}

int adfd_reload(struct adfd *d, struct adf_error *err)
{
	struct settings next;
	struct templates templates;
	int rc = 0;
	if (!d->cfg.path) {
		log_info("reload: running on embedded defaults, nothing to read");
	} else if (settings_load(d->cfg.path, &next, err) < 0) {
		log_error("reload: %s: keeping the current settings", err->message);
		rc = -1;
	} else if (adfd_load_templates(&next, &templates, err) < 0) {
		log_error("reload: %s: keeping the current settings", err->message);
		settings_free(&next);
		rc = -1;
	} else {
		templates_free(&d->templates);
		d->templates = templates;
		if (next.mail_transport != d->cfg.mail_transport)
			log_warning("reload: the mail transport changes only on restart");
		/* The socket and the database stay open: changing them takes a restart. */
		if (strcmp(next.socket_path, d->cfg.socket_path) ||
		    strcmp(next.database, d->cfg.database))
			log_warning("reload: socket and database paths change only on restart");
		/* the site's listener stays as it is; its base URL and limits follow */
		if (next.http_port != d->cfg.http_port ||
		    strcmp(next.http_address, d->cfg.http_address))
			log_warning("reload: the public site's address and port change only on "
				    "restart");
		next.http_port = d->cfg.http_port;
		if (next.http_port && !next.http_base_url)
			next.http_base_url = strdup(d->cfg.http_base_url);
		char *keep_socket = d->cfg.socket_path, *keep_db = d->cfg.database;
		d->cfg.socket_path = d->cfg.database = NULL;
		next.mail_transport = d->cfg.mail_transport;
		settings_free(&d->cfg);
		free(next.socket_path);
		free(next.database);
		next.socket_path = keep_socket;
		next.database = keep_db;
		d->cfg = next;
		log_set_level(d->cfg.log_level);
		adfd_resolve_groups(d);
		log_info("reload: settings read from %s", d->cfg.path);
	}
	return rc;
}
