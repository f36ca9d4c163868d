package importer

import (
	"log/slog"

	"newsdesk/internal/app"
	"newsdesk/internal/model"
)

// ForApp is an importer writing to a's site as actor through a's
// services, with the page cache purged once at the end instead of after
// each story.
func ForApp(a *app.App, actor model.Actor, log *slog.Logger) *Importer {
	// Saving a photo purges nothing (only its description's changes do),
	// so the media service is a's own.
	arts, cols, st, rds := *a.Articles, *a.Columns, *a.Site, *a.Redirects
	arts.Changed, cols.Changed, st.Changed, rds.Changed = nil, nil, nil, nil
	return &Importer{Store: a.Store, Articles: &arts, Columns: &cols, Media: a.Media, Site: &st, Redirects: &rds,
		Accounts: a.Accounts, Actor: actor, Done: a.Changed, Log: log}
}
