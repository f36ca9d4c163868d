package sitearchive_test

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/app"
	"newsdesk/internal/article"
	"newsdesk/internal/check"
	"newsdesk/internal/config"
	"newsdesk/internal/demo"
	"newsdesk/internal/model"
	"newsdesk/internal/search"
	"newsdesk/internal/sitearchive"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
	"newsdesk/internal/store/sqlstore/pgtest"
)

var ctx = context.Background()

// openSite opens the application on a data folder, or on a PostgreSQL
// database (dsn) with its media under data.
func openSite(t testing.TB, data, dsn string) *app.App {
	t.Helper()
	args := []string{"--data", data}
	if dsn != "" {
		args = append(args, "--db", dsn)
	}
	cfg, err := config.Parse("test", args)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// demoSite is the demo site with what the demo alone does not make: a
// story published through the workflow, one under way on a review chain,
// a column whose parent came after it, a disabled user, a public file, a
// redirect to a story and one to an address, an import record, a rule
// list saved twice and slots.
func demoSite(t *testing.T, a *app.App) {
	t.Helper()
	if err := a.LoadDemo(ctx, demo.Options{Articles: 12}); err != nil {
		t.Fatal(err)
	}
	editor, err := a.Store.UserByName(ctx, "editor")
	if err != nil {
		t.Fatal(err)
	}
	actor := model.Actor{User: editor, IP: "127.0.0.1", Via: "test"}
	cols, err := a.Store.Columns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	draft := model.Article{ColumnID: cols[0].ID, Title: "待发布的稿件", Body: "<p>第一稿。</p>"}
	if err := a.Articles.Create(ctx, actor, &draft); err != nil {
		t.Fatal(err)
	}
	draft.Body = "<p>第二稿，改过。</p>"
	if err := a.Articles.Update(ctx, actor, &draft); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Articles.Transition(ctx, actor, draft.ID, draft.Version, article.ActionPublish, "可以发了", time.Time{}); err != nil {
		t.Fatal(err)
	}
	var chainCol int64
	for _, c := range cols {
		if c.Slug == demo.ChainColumn {
			chainCol = c.ID
		}
	}
	chained := model.Article{ColumnID: chainCol, Title: "审核中的稿件", Body: "<p>正文</p>"}
	if err := a.Articles.Create(ctx, actor, &chained); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{article.ActionSubmit, article.ActionApprove} {
		if chained, err = a.Articles.Move(ctx, actor, chained.ID, article.Move{Action: action, Version: chained.Version}); err != nil {
			t.Fatal(err)
		}
	}
	// Annotations (批注) on the story under review: one answered and
	// resolved, one open.
	note, err := a.Annotations.Create(ctx, actor, chained.ID, model.Annotation{Quote: "正文", Body: "这里要补充时间地点。"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Annotations.Reply(ctx, actor, chained.ID, note.ID, "已补充。"); err != nil {
		t.Fatal(err)
	}
	if err := a.Annotations.Resolve(ctx, actor, chained.ID, note.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Annotations.Create(ctx, actor, chained.ID, model.Annotation{Quote: "正文", Body: "标题可以再短一些。"}); err != nil {
		t.Fatal(err)
	}
	// A correction of the published story, under review in a working copy
	// while the published text stays up.
	published, err := a.Store.Article(ctx, draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	published.Body, published.Correction = "<p>第二稿，改过，又更正了日期。</p>", "更正了活动日期。"
	if err := a.Articles.Update(ctx, actor, &published); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.WorkingCopy(ctx, draft.ID); err != nil {
		t.Fatalf("the correction made no working copy: %v", err)
	}
	archive, err := a.Columns.Save(ctx, model.SystemActor("test"), model.Column{Slug: "archive", Name: "归档"})
	if err != nil {
		t.Fatal(err)
	}
	first := cols[0]
	for _, c := range cols {
		if c.ParentID == 0 && c.ID < archive.ID {
			first = c
			break
		}
	}
	first.ParentID = archive.ID // a parent with a larger id than its child
	if err := a.Store.UpdateColumn(ctx, &first); err != nil {
		t.Fatal(err)
	}
	u := model.User{Username: "gone", Name: "离职编辑", Roles: []string{model.RoleEditor}}
	if err := a.Accounts.AddUser(ctx, model.SystemActor("cli"), &u, "a long enough password 1!"); err != nil {
		t.Fatal(err)
	}
	u.Disabled = true
	if err := a.Store.UpdateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	ms, _, err := a.Store.MediaList(ctx, store.MediaQuery{Limit: 1})
	if err != nil || len(ms) == 0 {
		t.Fatalf("the demo has no media: %v", err)
	}
	if _, err := a.Media.SetPublic(ctx, actor, ms[0].ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Redirects.Save(ctx, actor, model.Redirect{Path: "/info/1012/7.htm", ArticleID: draft.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Redirects.Save(ctx, actor, model.Redirect{Path: "/old/about.htm", Target: "/pages/help"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.SaveImportRecord(ctx, model.ImportRecord{Source: "wxr:http://old.example.edu.cn", Original: "http://old.example.edu.cn/?p=7",
		Kind: model.ImportArticle, RefID: draft.ID, Digest: "ab12", ImportedAt: time.Now().Truncate(time.Second)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Checks.Save(ctx, actor, check.KindWords, "错字 | 错误 | warn\n", true); err != nil {
		t.Fatal(err)
	}
	if err := a.Slots.Place(ctx, actor, model.Placement{Slot: model.SlotRecommended, ArticleID: draft.ID, Position: 9, ExpiresAt: time.Now().Add(48 * time.Hour).Truncate(time.Second)}); err != nil {
		t.Fatal(err)
	}
}

// exportSite writes a's archive to a new file.
func exportSite(t *testing.T, a *app.App, secrets bool) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "site.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sitearchive.Export(ctx, f, a.Store, a.Media.Files, sitearchive.ExportOptions{WithSecrets: secrets}); err != nil {
		t.Fatalf("export: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func importSite(a *app.App, path string) (sitearchive.Result, error) {
	return sitearchive.Import(ctx, path, sitearchive.Target{Store: a.Store, Files: a.Media.Files}, model.SystemActor("cli"))
}

// site is every entity of a site with its ids replaced by what they stand
// for (a column's slug, a user's name, the rank of a story or file by
// id), so that two sites with different ids compare equal when their
// content and relations are the same.
type site struct {
	Settings  map[string]string
	Units     []string
	Users     []string
	Columns   []string
	Chains    []string
	Rules     []string
	Media     []string
	Articles  []string
	Slots     []string
	Pages     []string
	Redirects []string
	Imports   []string
	Audit     []string // the entries of the site as exported (the restored ones, on the copy)
}

var mediaInBody = regexp.MustCompile(`/media/([0-9]+)/`)

// dump reads every entity of st through the store. skipAudit leaves out
// that many first entries of the audit log (the import's own).
func dump(t *testing.T, st store.Store, skipAudit int, secrets bool) site {
	t.Helper()
	var s site
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	kv, err := st.Settings(ctx)
	must(err)
	delete(kv, "approval.secret")
	s.Settings = kv
	units, err := st.Units(ctx)
	must(err)
	unit := map[int64]string{0: ""}
	for _, u := range units {
		unit[u.ID] = u.Name
		s.Units = append(s.Units, u.Name)
	}
	users, err := st.Users(ctx)
	must(err)
	user := map[int64]string{0: ""}
	for _, u := range users {
		user[u.ID] = u.Username
	}
	for _, u := range users {
		line := fmt.Sprintf("%s|%s|%v|%s|%v|%d|%d", u.Username, u.Name, u.Roles, unit[u.UnitID], u.Disabled, u.CreatedAt.Unix(), u.PasswordChangedAt.Unix())
		if secrets {
			line += "|" + u.PasswordHash
		}
		s.Users = append(s.Users, line)
	}
	cols, err := st.Columns(ctx)
	must(err)
	col := map[int64]string{0: ""}
	for _, c := range cols {
		col[c.ID] = c.Slug
	}
	for _, c := range cols {
		s.Columns = append(s.Columns, fmt.Sprintf("%s|%s|%s|%s|%d", c.Slug, col[c.ParentID], c.Name, c.Description, c.Position))
	}
	slices.Sort(s.Columns) // the tree's order among equal positions follows the ids
	steps := func(ss []model.ReviewStep) string {
		var b strings.Builder
		for _, st := range ss {
			var names []string
			for _, id := range st.UserIDs {
				names = append(names, user[id])
			}
			fmt.Fprintf(&b, "[%s %s %s %v %v %d]", st.Name, st.Key, st.Kind, st.Holders, names, st.DueHours)
		}
		return b.String()
	}
	chains, err := st.ReviewChains(ctx)
	must(err)
	for _, c := range chains {
		s.Chains = append(s.Chains, col[c.ColumnID]+"|"+steps(c.Steps))
	}
	slices.Sort(s.Chains)
	rules, err := st.CheckRules(ctx)
	must(err)
	for _, l := range rules {
		vs, err := st.CheckRuleVersions(ctx, l.Kind)
		must(err)
		for _, v := range vs {
			s.Rules = append(s.Rules, fmt.Sprintf("%s|%d|%s|%s|%d", v.Kind, v.Version, v.Body, user[v.SavedBy], v.SavedAt.Unix()))
		}
	}
	slices.Sort(s.Rules)
	mediaRank := map[int64]string{}
	after := int64(0)
	for {
		ms, _, err := st.MediaList(ctx, store.MediaQuery{ByID: true, AfterID: after, Limit: 100})
		must(err)
		for _, m := range ms {
			mediaRank[m.ID] = "#" + strconv.Itoa(len(mediaRank)+1)
			s.Media = append(s.Media, fmt.Sprintf("%s|%s|%s|%dx%d|%d|%s|%s|%s|%s|%s|%s|%d|%s|%v", mediaRank[m.ID], m.Key, m.OriginalKey, m.Width, m.Height, m.Size,
				m.Checksum, m.Name, m.ContentType, m.Caption, m.Alt, m.Credit, m.CreatedAt.Unix(), user[m.UploadedBy], m.Public))
		}
		if len(ms) < 100 {
			break
		}
		after = ms[len(ms)-1].ID
	}
	body := func(b string) string {
		return mediaInBody.ReplaceAllStringFunc(b, func(m string) string {
			id, _ := strconv.ParseInt(m[7:len(m)-1], 10, 64)
			return "/media/" + mediaRank[id] + "/"
		})
	}
	artRank := map[int64]string{0: ""}
	after = 0
	for {
		arts, _, err := st.Articles(ctx, store.ArticleQuery{ByID: true, AfterID: after, Limit: 100, NoTotal: true})
		must(err)
		for _, a := range arts {
			artRank[a.ID] = "#" + strconv.Itoa(len(artRank))
			line := fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|lead %s|%+v|%s|%d|%d|%d|v%d|%d|%s|%s|%s %d %d|%d|%s|waiting %v",
				artRank[a.ID], col[a.ColumnID], a.Kicker, a.Title, a.Subtitle, a.Summary, body(a.Body), mediaRank[a.LeadMediaID], a.Credits,
				a.Status, a.PublishedAt.Unix(), a.CreatedAt.Unix(), a.UpdatedAt.Unix(), a.Version, a.Views, user[a.AuthorID], unit[a.UnitID],
				steps(a.Review.Chain), a.Review.Step, a.Review.Since.Unix(), a.RevisedAt.Unix(), a.Correction, waitingAt(t, st, a))
			vs, err := st.Versions(ctx, a.ID)
			must(err)
			for _, v := range vs {
				line += fmt.Sprintf("\n  version %d|%s|%s|%s|%s|%d", v.Version, v.Title, v.Summary, body(v.Body), user[v.SavedBy], v.SavedAt.Unix())
			}
			evs, err := st.Events(ctx, a.ID)
			must(err)
			for _, e := range evs {
				line += fmt.Sprintf("\n  event %s|%s|%s→%s|%s|%s|%d|%d %s %s %d|v%d|%s|%s|%s|correction %t", user[e.UserID], e.Action, e.From, e.To, e.Comment, e.IP, e.At.Unix(),
					e.Step, e.StepName, e.StepKey, e.ToStep, e.Version, e.Via, e.Reason, e.ActorName, e.Correction)
			}
			notes, err := st.Annotations(ctx, a.ID)
			must(err)
			noteRank := map[int64]int{0: 0}
			for _, n := range notes {
				noteRank[n.ID] = len(noteRank)
				line += fmt.Sprintf("\n  annotation %d on %d|%s|%q %q %q @%d v%d|%s|%d|resolved by %s at %d", noteRank[n.ID], noteRank[n.ParentID], user[n.UserID],
					n.Prefix, n.Quote, n.Suffix, n.Position, n.Version, n.Body, n.CreatedAt.Unix(), user[n.ResolvedBy], n.ResolvedAt.Unix())
			}
			if wc, err := st.WorkingCopy(ctx, a.ID); err == nil {
				line += fmt.Sprintf("\n  working copy %s|%s|%s|%s|%s|%s|lead %s|%+v|%s|%s|%s %d %d|by %s %d %d|v%d",
					col[wc.ColumnID], wc.Kicker, wc.Title, wc.Subtitle, wc.Summary, body(wc.Body), mediaRank[wc.LeadMediaID], wc.Credits, wc.Correction,
					wc.Status, steps(wc.Review.Chain), wc.Review.Step, wc.Review.Since.Unix(), user[wc.CreatedBy], wc.CopiedAt.Unix(), wc.UpdatedAt.Unix(), wc.Version)
			} else if !errors.Is(err, model.ErrNotFound) {
				must(err)
			}
			s.Articles = append(s.Articles, line)
		}
		if len(arts) < 100 {
			break
		}
		after = arts[len(arts)-1].ID
	}
	for _, slot := range []string{model.SlotFocus, model.SlotRecommended} {
		ps, err := st.Placements(ctx, slot)
		must(err)
		for _, p := range ps {
			s.Slots = append(s.Slots, fmt.Sprintf("%s|%s|%d|%d", p.Slot, artRank[p.ArticleID], p.Position, p.ExpiresAt.Unix()))
		}
	}
	pages, err := st.Pages(ctx)
	must(err)
	for _, p := range pages {
		s.Pages = append(s.Pages, fmt.Sprintf("%s|%s|%s", p.Slug, p.Title, body(p.Body)))
	}
	rs, err := st.Redirects(ctx, "", 0)
	must(err)
	redirectPath := map[int64]string{}
	for _, r := range rs {
		redirectPath[r.ID] = r.Path
		s.Redirects = append(s.Redirects, fmt.Sprintf("%s|%s|%s", r.Path, artRank[r.ArticleID], r.Target))
	}
	recs, err := st.ImportRecords(ctx, "")
	must(err)
	for _, r := range recs {
		ref := artRank[r.RefID]
		if r.Kind == model.ImportMedia {
			ref = mediaRank[r.RefID]
		}
		s.Imports = append(s.Imports, fmt.Sprintf("%s|%s|%s|%s|%s|%d", r.Source, r.Original, r.Kind, ref, r.Digest, r.ImportedAt.Unix()))
	}
	targets := map[string]map[int64]string{"article": artRank, "media": mediaRank, "column": col, "redirect": redirectPath, "unit": unit}
	target := regexp.MustCompile(`^(article|media|column|redirect|unit) ([0-9]+)$`)
	after, n := 0, 0
	for {
		es, _, err := st.AuditSearch(ctx, store.AuditQuery{Ascending: true, AfterID: after, Limit: 500})
		must(err)
		for _, e := range es {
			n++
			if n <= skipAudit {
				continue
			}
			tg := e.Target
			if m := target.FindStringSubmatch(tg); m != nil {
				id, _ := strconv.ParseInt(m[2], 10, 64)
				tg = m[1] + " " + targets[m[1]][id]
			}
			s.Audit = append(s.Audit, fmt.Sprintf("%d|%s|%s|%s|%s|%s|%s", e.At.Unix(), user[e.UserID], e.Action, tg, e.Detail, e.IP, e.Via))
		}
		if len(es) < 500 {
			break
		}
		after = es[len(es)-1].ID
	}
	return s
}

// waitingAt lists the inboxes a story waits in.
func waitingAt(t *testing.T, st store.Store, a model.Article) string {
	if a.Status != model.StatusSubmitted && a.Status != model.StatusUnitApproved {
		return ""
	}
	var in []string
	for _, h := range []string{"editor", "chief"} {
		arts, _, err := st.ReviewInbox(ctx, []string{h}, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range arts {
			if x.ID == a.ID {
				in = append(in, h)
			}
		}
	}
	return strings.Join(in, ",")
}

// auditLen is the number of entries in st's audit log.
func auditLen(t *testing.T, st store.Store) int {
	_, n, err := st.AuditSearch(ctx, store.AuditQuery{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// same fails t for every part of got unlike want, showing the first
// differing line.
func same(t *testing.T, hop string, want, got site) {
	t.Helper()
	wv, gv := reflect.ValueOf(want), reflect.ValueOf(got)
	for i := 0; i < wv.NumField(); i++ {
		name := wv.Type().Field(i).Name
		w, g := wv.Field(i).Interface(), gv.Field(i).Interface()
		if reflect.DeepEqual(w, g) {
			continue
		}
		if ws, ok := w.([]string); ok {
			gs := g.([]string)
			for j := 0; j < max(len(ws), len(gs)); j++ {
				var a, b string
				if j < len(ws) {
					a = ws[j]
				}
				if j < len(gs) {
					b = gs[j]
				}
				if a != b {
					t.Errorf("%s: %s differ (%d and %d) at %d:\nwant %s\ngot  %s", hop, name, len(ws), len(gs), j, a, b)
					break
				}
			}
			continue
		}
		t.Errorf("%s: %s differ:\nwant %v\ngot  %v", hop, name, w, g)
	}
}

// rowCounts are the rows of the tables an archive restores one for one,
// counted by the copy's own check (sqlstore.TableSums).
func rowCounts(t *testing.T, path, dsn string) map[string]int64 {
	t.Helper()
	var db *sqlstore.DB
	var err error
	if dsn != "" {
		db, err = sqlstore.OpenPostgres(ctx, dsn)
	} else {
		db, err = sqlstore.OpenSQLite(ctx, filepath.Join(path, "newsdesk.db"))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sums, err := db.TableSums(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, s := range sums {
		switch s.Table {
		case "units", "users", "columns", "review_chains", "check_rules", "media", "articles", "article_versions", "article_events",
			"review_waiting", "placements", "pages", "redirects", "imported", "media_uses", "settings", "annotations", "working_copies":
			out[s.Table] = s.Rows
		}
	}
	return out
}

// roundTrip restores path into the empty site b (its database at dir or
// dsn) and checks it against want, the source's dump, and its rows.
func roundTrip(t *testing.T, hop string, b *app.App, path string, want site, wantRows map[string]int64, dir, dsn string) {
	t.Helper()
	start := time.Now()
	res, err := importSite(b, path)
	if err != nil {
		t.Fatalf("%s: import: %v", hop, err)
	}
	t.Logf("%s: imported %v in %s", hop, res.Counts, time.Since(start).Round(time.Millisecond))
	if res.Counts[sitearchive.ArticlesFile] == 0 || res.Counts[sitearchive.MediaFile] == 0 {
		t.Fatalf("%s: imported %v", hop, res.Counts)
	}
	got := dump(t, b.Store, auditLen(t, b.Store)-len(want.Audit), false)
	same(t, hop, want, got)
	if rows := rowCounts(t, dir, dsn); !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("%s: rows %v, want %v", hop, rows, wantRows)
	}
	// The restored site works: its search finds the seed story, and every
	// file a body names answers.
	hits, _, err := b.Search.Search(ctx, search.Query{Text: "启邦 研究生党支部", Public: true, Limit: 10})
	if err != nil || !slices.ContainsFunc(hits, func(h search.Hit) bool { return h.Title == demo.SeedTitle }) {
		t.Errorf("%s: search on the restored site does not find the seed story (%d hits, %v)", hop, len(hits), err)
	}
}

// TestRoundTripSQLite: the demo site with history, chains, slots,
// redirects and a public file, exported and imported into an empty SQLite
// site, has every entity and relation back with new ids; a second import
// into the now full site is refused and changes nothing.
func TestRoundTripSQLite(t *testing.T) {
	srcDir := t.TempDir()
	a := openSite(t, srcDir, "")
	start := time.Now()
	demoSite(t, a)
	t.Logf("demo site made in %s", time.Since(start).Round(time.Millisecond))
	want := dump(t, a.Store, 0, false)
	for _, part := range []string{"\n  annotation 2 on 1|", "resolved by editor at", "\n  working copy ", "更正了活动日期。", "correction true"} {
		if !strings.Contains(strings.Join(want.Articles, "\n"), part) {
			t.Fatalf("the source site has no %q to compare:\n%s", part, strings.Join(want.Articles, "\n"))
		}
	}
	start = time.Now()
	path := exportSite(t, a, false)
	t.Logf("exported in %s", time.Since(start).Round(time.Millisecond))
	wantRows := rowCounts(t, srcDir, "")

	dstDir := t.TempDir()
	b := openSite(t, dstDir, "")
	roundTrip(t, "SQLite → archive → SQLite", b, path, want, wantRows, dstDir, "")

	before := dump(t, b.Store, 0, false)
	if _, err := importSite(b, path); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("import into a full site: %v, want refused as not empty", err)
	}
	if after := dump(t, b.Store, 0, false); !reflect.DeepEqual(before, after) {
		t.Error("a refused import changed the site")
	}
}

// TestRoundTripSQLiteToPostgres: a SQLite site's archive restored into an
// empty PostgreSQL site is the same site, password hashes included when
// exported with its secrets; that site's archive restored into SQLite is
// the same site again.
func TestRoundTripSQLiteToPostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	srcDir := t.TempDir()
	a := openSite(t, srcDir, "")
	demoSite(t, a)
	want := dump(t, a.Store, 0, true)
	path := exportSite(t, a, true)
	wantRows := rowCounts(t, srcDir, "")

	b := openSite(t, t.TempDir(), dsn)
	res, err := importSite(b, path)
	if err != nil {
		t.Fatalf("import into PostgreSQL: %v", err)
	}
	got := dump(t, b.Store, auditLen(t, b.Store)-len(want.Audit), true)
	same(t, "SQLite → archive → PostgreSQL", want, got)
	if rows := rowCounts(t, "", dsn); !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("rows %v, want %v", rows, wantRows)
	}
	if !res.Manifest.WithSecrets {
		t.Error("the manifest does not say the archive has its secrets")
	}
	back := exportSite(t, b, true) // before the sign-in below adds to the audit log
	// The hashes came along: the demo's editor signs in with the demo password.
	if _, _, err := b.Accounts.SignIn(ctx, model.Actor{IP: "127.0.0.1", Via: "desk"}, "editor", demo.DemoPassword); err != nil {
		t.Errorf("sign in on the restored site: %v", err)
	}

	// And back: the PostgreSQL site's archive restored into SQLite is the
	// same site again (its audit log ends with the original's entries).
	cDir := t.TempDir()
	c := openSite(t, cDir, "")
	if _, err := importSite(c, back); err != nil {
		t.Fatalf("import into SQLite: %v", err)
	}
	same(t, "PostgreSQL → archive → SQLite", want, dump(t, c.Store, auditLen(t, c.Store)-len(want.Audit), true))
	if rows := rowCounts(t, cDir, ""); !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("PostgreSQL → archive → SQLite: rows %v, want %v", rows, wantRows)
	}
}

// rewrite copies the archive at src to a new file, each entry's bytes
// passed through change (which may drop it by returning false).
func rewrite(t *testing.T, src string, change func(name string, data []byte) ([]byte, bool)) string {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	path := filepath.Join(t.TempDir(), "changed.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, e := range zr.File {
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		data, keep := change(e.Name, data)
		if !keep {
			continue
		}
		w, err := zw.Create(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// files lists the files under dir.
func files(t *testing.T, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestBadArchivesChangeNothing: an archive cut short, of an unknown
// format version, without one of its files, with bad JSON in a story
// written after the media, or with a file unlike its checksum is refused
// with an error naming the file (and line), and the site stays empty: no
// rows, no media files.
func TestBadArchivesChangeNothing(t *testing.T) {
	a := openSite(t, t.TempDir(), "")
	if err := a.LoadDemo(ctx, demo.Options{Articles: 3}); err != nil {
		t.Fatal(err)
	}
	good := exportSite(t, a, false)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.zip")
	if err := os.WriteFile(cut, data[:len(data)*2/3], 0o644); err != nil {
		t.Fatal(err)
	}
	var mediaName string
	rewrite(t, good, func(name string, data []byte) ([]byte, bool) {
		if strings.HasPrefix(name, "media/") && mediaName == "" {
			mediaName = name
		}
		return data, true
	})
	cases := []struct {
		name, path string
		where      string // what the error must name
	}{
		{"cut short", cut, "not a readable zip archive"},
		{"unknown version", rewrite(t, good, func(name string, data []byte) ([]byte, bool) {
			if name == sitearchive.ManifestFile {
				data = []byte(strings.Replace(string(data), fmt.Sprintf(`"version": %d`, sitearchive.FormatVersion), `"version": 99`, 1))
			}
			return data, true
		}), "manifest.json: format version 99 is unknown"},
		{"missing file", rewrite(t, good, func(name string, data []byte) ([]byte, bool) {
			return data, name != sitearchive.PagesFile
		}), "pages.jsonl: missing from the archive"},
		{"bad JSON after the media", rewrite(t, good, func(name string, data []byte) ([]byte, bool) {
			if name == sitearchive.ArticlesFile {
				ls := strings.SplitAfter(string(data), "\n")
				ls[1] = `{"id": 2, "title": "半行` + "\n"
				data = []byte(strings.Join(ls, ""))
			}
			return data, true
		}), "articles.jsonl:2: bad JSON"},
		{"lines missing", rewrite(t, good, func(name string, data []byte) ([]byte, bool) {
			if name == sitearchive.ArticlesFile {
				ls := strings.SplitAfter(string(data), "\n")
				data = []byte(strings.Join(ls[:len(ls)-2], ""))
			}
			return data, true
		}), "articles.jsonl: holds"},
		{"damaged photo", rewrite(t, good, func(name string, data []byte) ([]byte, bool) {
			if name == mediaName {
				data = slices.Clone(data)
				data[len(data)/2] ^= 0xff
			}
			return data, true
		}), mediaName + ": sha256"},
	}
	dir := t.TempDir()
	b := openSite(t, dir, "")
	empty := dump(t, b.Store, 0, false)
	for _, c := range cases {
		_, err := importSite(b, c.path)
		t.Logf("%s: %v", c.name, err)
		var bad *sitearchive.BadArchiveError
		if !errors.As(err, &bad) || !strings.Contains(err.Error(), c.where) {
			t.Errorf("%s: %v, want a bad archive naming %q", c.name, err, c.where)
		}
		if got := dump(t, b.Store, 0, false); !reflect.DeepEqual(got, empty) {
			t.Errorf("%s: the refused archive changed the site", c.name)
		}
		if fs := files(t, filepath.Join(dir, "media")); len(fs) > 0 {
			t.Errorf("%s: the refused archive left %d media files: %v", c.name, len(fs), fs[:1])
		}
	}
	// The good archive still goes in.
	if _, err := importSite(b, good); err != nil {
		t.Errorf("the good archive after the bad ones: %v", err)
	}
}
