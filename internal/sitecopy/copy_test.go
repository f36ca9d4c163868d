package sitecopy_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"newsdesk/internal/app"
	"newsdesk/internal/article"
	"newsdesk/internal/campus"
	"newsdesk/internal/config"
	"newsdesk/internal/demo"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/search"
	"newsdesk/internal/sitecopy"
	"newsdesk/internal/store/sqlstore"
	"newsdesk/internal/store/sqlstore/pgtest"
)

// openSite opens the application on a data folder, or on a PostgreSQL
// database (dsn) with its media at mediaURL (an s3:// URL, or "" for the
// folder under data).
func openSite(t *testing.T, data, dsn, mediaURL string, s3 media.S3Server) *app.App {
	t.Helper()
	args := []string{"--data", data}
	if dsn != "" {
		args = append(args, "--db", dsn)
	}
	if mediaURL != "" {
		args = append(args, "--media", mediaURL)
	}
	cfg, err := config.Parse("test", args)
	if err != nil {
		t.Fatal(err)
	}
	cfg.S3 = config.S3(s3)
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// copyMedia returns where the copy's media go: a fresh prefix of the test
// S3 bucket, emptied when the test ends, or a folder when no S3 server is
// configured.
func copyMedia(t *testing.T) (string, media.S3Server) {
	t.Helper()
	c := media.S3Server{
		Endpoint:  os.Getenv("NEWSDESK_TEST_S3_ENDPOINT"),
		Region:    "us-east-1",
		AccessKey: os.Getenv("NEWSDESK_TEST_S3_ACCESS_KEY"),
		SecretKey: os.Getenv("NEWSDESK_TEST_S3_SECRET_KEY"),
	}
	bucket := os.Getenv("NEWSDESK_TEST_S3_BUCKET")
	if c.Endpoint == "" || bucket == "" {
		t.Log("NEWSDESK_TEST_S3_ENDPOINT is unset: the PostgreSQL copy keeps its media in a folder (source scripts/services/s3.sh for S3)")
		return filepath.Join(t.TempDir(), "media"), c
	}
	b := make([]byte, 8)
	rand.Read(b)
	url := "s3://" + bucket + "/copy-test-" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx := context.Background()
		s, err := media.OpenS3(ctx, url, c)
		if err != nil {
			t.Errorf("empty %s: %v", url, err)
			return
		}
		var keys []string
		s.List(ctx, "", func(fi media.FileInfo) error { keys = append(keys, fi.Key); return nil })
		for _, k := range keys {
			s.Delete(ctx, k)
		}
	})
	return url, c
}

func tableSums(t *testing.T, s *sqlstore.DB) []sqlstore.TableSum {
	t.Helper()
	sums, err := s.TableSums(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

func sqliteSums(t *testing.T, dir string) []sqlstore.TableSum {
	t.Helper()
	s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(dir, "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	return tableSums(t, s)
}

// checkCopy fails t unless every table of r has the same rows and sum on
// both sides, the tables are those of want with the same sums, and the
// media were copied and checked.
func checkCopy(t *testing.T, hop string, r sitecopy.Report, want []sqlstore.TableSum) {
	t.Helper()
	if len(r.Tables) != len(want) {
		t.Fatalf("%s: copied %d tables, want %d", hop, len(r.Tables), len(want))
	}
	for i, tc := range r.Tables {
		if tc.From != tc.To || tc.To != want[i] {
			t.Errorf("%s: table %s: source %+v, copy %+v, want %+v", hop, tc.Table, tc.From, tc.To, want[i])
		}
	}
	if r.Files.Files == 0 || r.Files.Bytes == 0 || r.Checked == 0 {
		t.Errorf("%s: media: %+v, %d checked", hop, r.Files, r.Checked)
	}
	t.Logf("%s: %d tables, %d files (%d bytes) in %s (tables %s, files %s, check %s, index %s)", hop, len(r.Tables),
		r.Files.Files, r.Files.Bytes, r.Took.Round(time.Millisecond), r.TablesTook.Round(time.Millisecond),
		r.Files.Took.Round(time.Millisecond), r.VerifyTook.Round(time.Millisecond), r.IndexTook.Round(time.Millisecond))
}

// findsSeed fails t unless a search on a finds the demo's seed article.
func findsSeed(t *testing.T, hop string, a *app.App) {
	t.Helper()
	hits, _, err := a.Search.Search(context.Background(), search.Query{Text: "启邦 研究生党支部", Public: true, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if h.Title == demo.SeedTitle {
			return
		}
	}
	t.Errorf("%s: searching the copy does not find the seed article (%d hits)", hop, len(hits))
}

// newArticleID creates a draft on a and returns its id.
func newArticleID(t *testing.T, a *app.App) int64 {
	t.Helper()
	cols, err := a.Store.Columns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := model.Article{ColumnID: cols[0].ID, Title: "复制后的新稿件", Status: model.StatusDraft}
	if err := a.Articles.Import(context.Background(), model.SystemActor("test"), &n, "test"); err != nil {
		t.Fatalf("new article on the copy: %v", err)
	}
	return n.ID
}

// TestCopyMovesASiteToPostgresAndBack: a SQLite site with the demo content,
// history, audit log, a session, image variants and a column whose parent
// came after it, copied to PostgreSQL (media to S3) and from there to a
// new SQLite folder, has the same rows and checksums at each hop; the
// copies are searchable and give new rows fresh ids; copying into a
// destination that holds anything is refused and changes nothing.
func TestCopyMovesASiteToPostgresAndBack(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	srcDir := t.TempDir()
	a := openSite(t, srcDir, "", "", media.S3Server{})
	if err := a.LoadDemo(ctx, demo.Options{Articles: 20}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Jobs.RunDue(ctx); err != nil { // the image variants
		t.Fatal(err)
	}
	if _, _, err := a.Accounts.SignIn(ctx, model.Actor{IP: "127.0.0.1", Via: "desk"}, "editor", demo.DemoPassword); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Accounts.SignIn(ctx, model.Actor{IP: "192.0.2.1", Via: "desk"}, "editor", "a wrong password"); err == nil {
		t.Fatal("a wrong password signed in") // a row of sign_in_failures, copied too
	}
	editor, err := a.Store.UserByName(ctx, "editor")
	if err != nil {
		t.Fatal(err)
	}
	// A first campus sign-in: a department mapping, an identity, and the
	// session its CAS ticket opened.
	admin, err := a.Store.UserByName(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	unit, err := a.Accounts.UnitID(ctx, model.SystemActor("cli"), demo.DemoUnit)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Campus.SetDepartmentUnit(ctx, model.Actor{User: admin, Via: "test"}, "0203", unit); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := a.Campus.SignIn(ctx, model.Actor{IP: "127.0.0.1", Via: "test"}, campus.Identity{Provider: campus.ProviderCAS,
		Subject: "20201234", Ticket: "ST-copy", Attributes: map[string][]string{"department": {"0203"}}}); err != nil {
		t.Fatal(err)
	}
	cols, err := a.Store.Columns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	actor := model.Actor{User: editor, IP: "127.0.0.1", Via: "test"}
	// Two-step sign-in for the editor: a secret and recovery codes to copy.
	en, err := a.Accounts.StartTwoFactor(ctx, actor)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(en.Secret, time.Now())
	if _, err := a.Accounts.EnableTwoFactor(ctx, actor, code, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Accounts.CreateToken(ctx, actor, editor.ID, "复制测试"); err != nil {
		t.Fatal(err)
	}
	draft := model.Article{ColumnID: cols[0].ID, Title: "待发布的稿件"}
	if err := a.Articles.Create(ctx, actor, &draft); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Articles.Transition(ctx, actor, draft.ID, draft.Version, article.ActionPublish, "", time.Time{}); err != nil {
		t.Fatal(err)
	}
	// A story under way on the demo's review chain: review_chains and
	// review_waiting rows, and a decision with its step.
	chained := model.Article{ColumnID: columnBySlug(t, cols, demo.ChainColumn), Title: "审核中的稿件"}
	if err := a.Articles.Create(ctx, actor, &chained); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{article.ActionSubmit, article.ActionApprove} {
		if chained, err = a.Articles.Move(ctx, actor, chained.ID, article.Move{Action: action, Version: chained.Version}); err != nil {
			t.Fatal(err)
		}
	}
	// Content checks: an acknowledged warning, a self-audit run and its
	// rectification list (the demo saved rule lists already).
	if err := a.Store.AddCheckAck(ctx, &model.CheckAck{ArticleID: draft.ID, Version: 1, Keys: []string{"confused:既使\x1f既使"}, Findings: "「既使」", Reason: "引用原文", UserID: editor.ID, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.SaveCheckAuditRun(ctx, &model.CheckAuditRun{StartedAt: time.Now(), Total: 1}); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.SetCheckAuditItems(ctx, draft.ID, 0, []model.CheckAuditItem{{ColumnID: cols[0].ID, Rule: "confused:既使", Category: "confused", Level: "warn", Text: "既使", Suggestion: "即使"}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.AddAudit(ctx, model.AuditEntry{At: time.Now(), UserID: editor.ID, Action: "sign-in", IP: "127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	archive := model.Column{Slug: "archive", Name: "归档"}
	if err := a.Store.CreateColumn(ctx, &archive); err != nil {
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
	// A passkey (binary columns) and a sign-in with one under way.
	key := model.Passkey{UserID: editor.ID, CredentialID: []byte{0, 1, 2, 0xfe, 0xff}, PublicKey: []byte{0xa5, 0x01, 0x02, 0x00}, SignCount: 7, Transports: []string{"internal"}, Name: "办公室电脑", CreatedAt: time.Now()}
	if err := a.Store.CreatePasskey(ctx, &key); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.CreatePasskeyChallenge(ctx, model.PasskeyChallenge{TokenHash: "copy-test", UserID: editor.ID, Kind: "login", Data: []byte(`{"challenge":"x"}`), ExpiresAt: time.Now().Add(5 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	// Mail, a mail address, a notification and an outside approver's link.
	if err := a.Store.QueueMail(ctx, &model.Mail{To: "editor@example.edu", ToName: "编辑", Subject: "待审稿件", Text: "请审核", HTML: "<p>请审核</p>"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.SetMailAddress(ctx, model.MailAddress{UserID: editor.ID, Email: "editor@example.edu", Lang: "zh-CN"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.AddNotification(ctx, &model.Notification{UserID: editor.ID, Kind: "step", ArticleID: draft.ID, Title: draft.Title, OnceKey: "copy"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.CreateApproverLink(ctx, &model.ApproverLink{ArticleID: draft.ID, Version: draft.Version, Name: "书记", Email: "shuji@example.edu", Nonce: "copy", ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	// An imported story: its import record and its old address.
	if err := a.Store.SaveImportRecord(ctx, model.ImportRecord{Source: "wxr:http://old.example.edu.cn", Original: "http://old.example.edu.cn/?p=7", Kind: model.ImportArticle, RefID: draft.ID, Digest: "ab12", ImportedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.SaveRedirect(ctx, &model.Redirect{Path: "/info/1012/7.htm", ArticleID: draft.ID}); err != nil {
		t.Fatal(err)
	}
	// An edit lock, an annotation with its reply, and a working copy of
	// the published story.
	if _, err := a.Store.AcquireLock(ctx, model.EditLock{ArticleID: draft.ID, UserID: editor.ID, Token: "page", Since: time.Now(), SeenAt: time.Now()}, time.Now().Add(-2*time.Minute), false); err != nil {
		t.Fatal(err)
	}
	note := model.Annotation{ArticleID: draft.ID, UserID: editor.ID, Quote: "待发布", Suffix: "的稿件", Body: "标题请再斟酌"}
	if err := a.Store.CreateAnnotation(ctx, &note); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.CreateAnnotation(ctx, &model.Annotation{ArticleID: draft.ID, ParentID: note.ID, UserID: editor.ID, Body: "已改"}); err != nil {
		t.Fatal(err)
	}
	live, err := a.Store.Article(ctx, draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	wc := model.WorkingCopy{Article: live, CreatedBy: editor.ID}
	wc.Title, wc.Correction = "已更正的稿件", "更正：标题有误"
	if err := a.Store.SaveWorkingCopy(ctx, &wc); err != nil {
		t.Fatal(err)
	}
	a.Close()
	want := sqliteSums(t, srcDir)
	for _, s := range want {
		if s.Rows == 0 && s.Table != "jobs" {
			t.Fatalf("the source site has no %s: the copy would not be tested on them", s.Table)
		}
	}

	toMedia, s3 := copyMedia(t)
	r, err := sitecopy.Copy(ctx, sitecopy.Options{From: "sqlite:" + srcDir, To: dsn, ToMedia: toMedia, S3: s3}, log)
	if err != nil {
		t.Fatalf("copy to PostgreSQL: %v", err)
	}
	checkCopy(t, "SQLite → PostgreSQL", r, want)

	backDir := t.TempDir()
	r, err = sitecopy.Copy(ctx, sitecopy.Options{From: dsn, FromMedia: toMedia, To: "sqlite:" + backDir, S3: s3}, log)
	if err != nil {
		t.Fatalf("copy back to SQLite: %v", err)
	}
	checkCopy(t, "PostgreSQL → SQLite", r, want)
	if got := sqliteSums(t, backDir); len(got) != len(want) {
		t.Fatalf("the round trip has %d tables, want %d", len(got), len(want))
	}

	// Refused, and nothing changed: a database with content, and an
	// empty database whose media storage holds files.
	pg, err := sqlstore.OpenPostgres(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	before := tableSums(t, pg)
	_, err = sitecopy.Copy(ctx, sitecopy.Options{From: "sqlite:" + srcDir, To: dsn, ToMedia: filepath.Join(t.TempDir(), "media"), S3: s3}, log)
	if !errors.Is(err, sqlstore.ErrNotEmpty) || !strings.Contains(err.Error(), "articles") {
		t.Errorf("copy into a full database: %v, want ErrNotEmpty naming articles", err)
	}
	if after := tableSums(t, pg); !slices.Equal(before, after) {
		t.Errorf("a refused copy changed the destination:\n%v\n%v", before, after)
	}
	pg.Close()
	fullMedia := t.TempDir()
	if err := os.WriteFile(filepath.Join(fullMedia, "note.txt"), []byte("旧文件"), 0o644); err != nil {
		t.Fatal(err)
	}
	emptyDir := t.TempDir()
	if _, err := sitecopy.Copy(ctx, sitecopy.Options{From: "sqlite:" + srcDir, To: "sqlite:" + emptyDir, ToMedia: fullMedia, S3: s3}, log); err == nil ||
		!strings.Contains(err.Error(), "not empty") {
		t.Errorf("copy into full media storage: %v, want refused", err)
	}
	if got := sqliteSums(t, emptyDir); !allEmpty(got) {
		t.Errorf("a refused copy wrote rows: %v", got)
	}

	// Without sessions: everyone signs in again.
	noSessions := t.TempDir()
	r, err = sitecopy.Copy(ctx, sitecopy.Options{From: dsn, FromMedia: toMedia, To: "sqlite:" + noSessions, SkipSessions: true, S3: s3}, log)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range r.Tables {
		if tc.Table == "sessions" || tc.Table == "campus_tickets" {
			t.Errorf("--skip-sessions copied %d rows of %s", tc.To.Rows, tc.Table)
		}
	}

	// The copies work: search finds the seed article; a new article gets
	// the next id, not one of the copied ones.
	mediaURL := ""
	if strings.HasPrefix(toMedia, "s3://") {
		mediaURL = toMedia
	}
	onPG := openSite(t, t.TempDir(), dsn, mediaURL, s3)
	findsSeed(t, "PostgreSQL", onPG)
	last := max(draft.ID, chained.ID)
	if id := newArticleID(t, onPG); id != last+1 {
		t.Errorf("a new article on the PostgreSQL copy has id %d, want %d (ids not reset)", id, last+1)
	}
	onPG.Close()
	onSQLite := openSite(t, backDir, "", "", media.S3Server{})
	findsSeed(t, "SQLite", onSQLite)
	if id := newArticleID(t, onSQLite); id != last+1 {
		t.Errorf("a new article on the SQLite copy has id %d, want %d", id, last+1)
	}
	onSQLite.Close()
}

func allEmpty(sums []sqlstore.TableSum) bool {
	for _, s := range sums {
		if s.Rows != 0 {
			return false
		}
	}
	return true
}

// TestCopyFailsOnAFileUnlikeItsRow: a SQLite site copied to another folder
// matches; once a served photo no longer has the checksum its row records,
// the copy fails instead of passing the damage on quietly.
func TestCopyFailsOnAFileUnlikeItsRow(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srcDir := t.TempDir()
	a := openSite(t, srcDir, "", "", media.S3Server{})
	if err := a.LoadDemo(ctx, demo.Options{Articles: 2}); err != nil {
		t.Fatal(err)
	}
	a.Close()
	r, err := sitecopy.Copy(ctx, sitecopy.Options{From: "sqlite:" + srcDir, To: "sqlite:" + t.TempDir()}, log)
	if err != nil {
		t.Fatalf("copy: %v", err)
	}
	checkCopy(t, "SQLite → SQLite", r, sqliteSums(t, srcDir))

	// A served copy is named by its checksum, in a folder of its first two digits.
	dirs, err := filepath.Glob(filepath.Join(srcDir, "media", "[0-9a-f][0-9a-f]", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no served media file under %s: %v", srcDir, err)
	}
	data, err := os.ReadFile(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0xff
	if err := os.WriteFile(dirs[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = sitecopy.Copy(ctx, sitecopy.Options{From: "sqlite:" + srcDir, To: "sqlite:" + t.TempDir()}, log)
	if !errors.Is(err, sqlstore.ErrMismatch) || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("copy of a damaged file: %v, want ErrMismatch naming its sha256", err)
	}
}

func columnBySlug(t *testing.T, cols []model.Column, slug string) int64 {
	t.Helper()
	for _, c := range cols {
		if c.Slug == slug {
			return c.ID
		}
	}
	t.Fatalf("no column %s", slug)
	return 0
}
