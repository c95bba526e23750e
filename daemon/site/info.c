/* The site's information pages: the notice of GDPR article 13 and the
 * accessibility statement. Text for people, in French; what they say of
 * the settings (retention, contact) comes from the settings. */
#include "config.h"

#include <event2/http.h>
#include <stdio.h>

#include "info.h"
#include "page.h"
#include "text.h"

/* The organisers' address, as a mail link. */
static void write_contact(FILE *out, const struct settings *cfg)
{
	const char *contact = cfg->mail_reply_to ? cfg->mail_reply_to : cfg->mail_from;
	fputs("<a href=\"mailto:", out);
	html_write(out, contact);
	fputs("\">", out);
	html_write(out, contact);
	fputs("</a>", out);
}

/* The information notice of GDPR article 13: who, why, on what basis, for
 * how long, the rights and how to use them. */
void info_privacy(struct evhttp_request *req, const struct settings *cfg)
{
	struct page p;
	FILE *out = page_begin(&p, "Vos données personnelles");
	if (!out) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	fputs("<main>\n<h1>Vos données personnelles</h1>\n<h2>Qui les traite</h2>\n<p>", out);
	html_write(out, cfg->mail_from_name);
	fputs(", organisateurs des Ateliers des Départements de France. Pour toute question : ",
	      out);
	write_contact(out, cfg);
	fputs(".</p>\n<h2>Ce qui est gardé, et pourquoi</h2>\n<p>Quand vous vous inscrivez : "
	      "vos nom, adresse e-mail, organisme (facultatif) et catégorie, l'heure de "
	      "l'inscription et, le jour venu, votre présence. Ils servent à gérer votre "
	      "inscription (place, liste d'attente), à vous envoyer la confirmation, les rappels "
	      "et les changements de l'Atelier, et à établir le bilan de la rencontre en nombres "
	      "(jamais par personne).</p>\n<p>Base légale : l'exécution du service que vous "
	      "demandez en vous inscrivant (article 6.1.b du RGPD). Aucune case n'est donc à "
	      "cocher pour vous inscrire.</p>\n<p>Si vous cochez « Me tenir informé(e) », votre "
	      "adresse sert aussi à vous annoncer les prochains Ateliers. C'est facultatif, fondé "
	      "sur votre consentement (article 6.1.a), et vous le retirez à tout moment depuis le "
	      "lien personnel de vos e-mails.</p>\n<p>Si vous répondez au questionnaire de "
	      "satisfaction envoyé après l'Atelier, vos réponses sont gardées sans lien avec "
	      "votre nom : seul est noté que votre inscription a répondu, pour qu'elle ne "
	      "réponde qu'une fois.</p>\n<h2>Pour combien de temps</h2>\n<p>",
	      out);
	if (cfg->retention_months > 0)
		fprintf(out,
			"Vos données sont anonymisées %d mois après l'Atelier : il n'en reste que "
			"des nombres. Les e-mails qui vous ont été envoyés sont effacés en même "
			"temps.",
			cfg->retention_months);
	else
		fputs("Vos données sont gardées jusqu'à ce que vous demandiez leur effacement.",
		      out);
	fputs("</p>\n<h2>Qui les voit</h2>\n<p>Les seuls organisateurs des Ateliers. Elles ne "
	      "sont ni vendues ni transmises.</p>\n<h2>Vos droits</h2>\n<p>Vous pouvez accéder à "
	      "vos données, les faire rectifier ou effacer, vous opposer à leur usage ou le faire "
	      "limiter : écrivez à l'adresse ci-dessus. Le lien personnel de vos e-mails annule "
	      "votre inscription en un clic. Si vous estimez que vos droits ne sont pas respectés, "
	      "vous pouvez saisir la CNIL (www.cnil.fr).</p>\n</main>\n",
	      out);
	page_send(req, &p, 200, false);
}

/* The accessibility statement (RGAA 4.1): what was tested, and how. */
void info_accessibility(struct evhttp_request *req, const struct settings *cfg)
{
	struct page p;
	FILE *out = page_begin(&p, "Déclaration d'accessibilité");
	if (!out) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	fputs("<main>\n<h1>Déclaration d'accessibilité</h1>\n<p>Les organisateurs des Ateliers des "
	      "Départements de France s'engagent à rendre ce site accessible, conformément à "
	      "l'article 47 de la loi n° 2005-102 du 11 février 2005.</p>\n"
	      "<h2>État de conformité</h2>\n<p>Ce site est <strong>partiellement conforme</strong> "
	      "au référentiel général d'amélioration de l'accessibilité (RGAA) version 4.1 : aucun "
	      "audit complet n'a été mené.</p>\n<h2>Ce qui a été vérifié</h2>\n<ul>\n"
	      "<li>Chaque page (le tour, le programme et le formulaire d'un Atelier, la "
	      "confirmation, la page d'annulation, les pages d'erreur, cette page et celle des "
	      "données personnelles) passe l'outil axe-core sans erreur, dans Chromium, à chaque "
	      "modification du site.</li>\n<li>Le formulaire d'inscription se remplit au clavier ; "
	      "un formulaire refusé annonce toutes ses erreurs en tête de page, chacune liée à son "
	      "champ ; les champs obligatoires sont signalés dans leur intitulé.</li>\n"
	      "<li>Un lien d'évitement mène au contenu ; le focus est visible.</li>\n<li>Les pages "
	      "se lisent sans défilement horizontal sur un écran de 320 pixels, sans JavaScript, "
	      "et ne dépendent pas de la couleur.</li>\n</ul>\n<h2>Non-conformités connues</h2>\n"
	      "<p>Les fichiers d'agenda (iCalendar) ne sont pas des documents à lire ; le contenu "
	      "des programmes dépend de ce que saisissent les organisateurs.</p>\n"
	      "<h2>Retour et contact</h2>\n<p>Si vous n'arrivez pas à accéder à un contenu ou à "
	      "vous inscrire, écrivez-nous : ",
	      out);
	write_contact(out, cfg);
	fputs(". Nous vous répondrons et vous inscrirons par un autre moyen.</p>\n"
	      "<h2>Voies de recours</h2>\n<p>Si vous n'obtenez pas de réponse, vous pouvez saisir "
	      "le Défenseur des droits (www.defenseurdesdroits.fr).</p>\n</main>\n",
	      out);
	page_send(req, &p, 200, false);
}
