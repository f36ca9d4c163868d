package campus_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"newsdesk/internal/account"
	"newsdesk/internal/campus"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
)

var ctx = context.Background()

type fixture struct {
	st     store.Store
	svc    *campus.Service
	acc    *account.Service
	unit   model.Unit
	editor model.Actor
	admin  model.Actor
}

func setup(t *testing.T) fixture {
	t.Helper()
	db, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := fixture{st: db, acc: account.New(db), unit: model.Unit{Name: "物理学院"}}
	f.svc = &campus.Service{Store: db, Accounts: f.acc}
	f.acc.PasswordAllowed = f.svc.PasswordAllowed
	must(t, db.CreateUnit(ctx, &f.unit))
	ed := model.User{Username: "editor", Roles: []string{model.RoleEditor}}
	must(t, f.acc.AddUser(ctx, model.SystemActor("cli"), &ed, "newsroom-pw-001"))
	ad := model.User{Username: "admin", Roles: []string{model.RoleAdmin}}
	must(t, f.acc.AddUser(ctx, model.SystemActor("cli"), &ad, "chief-pw-00001"))
	f.editor = model.Actor{User: ed, IP: "127.0.0.1", Via: "desk"}
	f.admin = model.Actor{User: ad, IP: "127.0.0.1", Via: "desk"}
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func person(subject, dept string) campus.Identity {
	return campus.Identity{Provider: campus.ProviderCAS, Subject: subject, Username: subject,
		Attributes: map[string][]string{"department": {dept}, "displayName": {"张三"}, "mail": {"zhangsan@example.edu"}}}
}

func campusCode(err error) string {
	var ce *campus.Error
	if errors.As(err, &ce) {
		return ce.Code
	}
	return ""
}

func audited(t *testing.T, st store.Store, action string) []model.AuditEntry {
	t.Helper()
	es, _, err := st.Audit(ctx, 100, 0)
	must(t, err)
	var out []model.AuditEntry
	for _, e := range es {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

func TestFirstSignInCreatesContributorInMappedUnit(t *testing.T) {
	f := setup(t)
	anon := model.Actor{IP: "10.0.0.9", Via: "desk"}
	if _, _, _, err := f.svc.SignIn(ctx, anon, person("20201234", "0203")); campusCode(err) != "unknown_department" {
		t.Fatalf("unmapped department: %v", err)
	}
	if _, _, _, err := f.svc.SignIn(ctx, anon, person("20201234", "")); campusCode(err) != "no_department" {
		t.Fatalf("no department: %v", err)
	}
	if users, _ := f.st.Users(ctx); len(users) != 2 {
		t.Fatalf("a refused sign-in made users: %+v", users)
	}
	must(t, f.svc.SetDepartmentUnit(ctx, f.editor, "0203", f.unit.ID))
	token, se, u, err := f.svc.SignIn(ctx, anon, person("20201234", "0203"))
	must(t, err)
	if u.Username != "20201234" || u.Name != "张三" || u.UnitID != f.unit.ID || !u.Has(model.RoleContributor) || len(u.Roles) != 1 {
		t.Errorf("new user = %+v", u)
	}
	if _, got, err := f.acc.Lookup(ctx, token); err != nil || got.ID != u.ID || se.UserID != u.ID {
		t.Errorf("session: %+v %v", got, err)
	}
	link, err := f.st.Identity(ctx, campus.ProviderCAS, "20201234")
	must(t, err)
	if link.UserID != u.ID || link.Email != "zhangsan@example.edu" || link.SeenAt.IsZero() {
		t.Errorf("link = %+v", link)
	}
	created := audited(t, f.st, "campus_user_created")
	if len(created) != 1 || created[0].UserID != u.ID || created[0].IP != "10.0.0.9" || !strings.Contains(created[0].Detail, "0203") {
		t.Errorf("audit of the creation: %+v", created)
	}
	// The second sign-in opens the same account, even from another department.
	_, _, again, err := f.svc.SignIn(ctx, anon, person("20201234", "0999"))
	must(t, err)
	if again.ID != u.ID {
		t.Errorf("second sign-in opened user %d, want %d", again.ID, u.ID)
	}
	if users, _ := f.st.Users(ctx); len(users) != 3 {
		t.Errorf("users after two sign-ins: %d", len(users))
	}
	if logins := audited(t, f.st, "login"); len(logins) != 2 || logins[0].UserID != u.ID || logins[0].Detail != "cas 20201234" {
		t.Errorf("audit of the sign-ins: %+v", logins)
	}
}

func TestDisabledUserIsRefused(t *testing.T) {
	f := setup(t)
	must(t, f.svc.SetDepartmentUnit(ctx, f.editor, "0203", f.unit.ID))
	_, _, u, err := f.svc.SignIn(ctx, model.Actor{}, person("20201234", "0203"))
	must(t, err)
	u.Disabled = true
	must(t, f.acc.Update(ctx, model.SystemActor("cli"), u, ""))
	if _, _, _, err := f.svc.SignIn(ctx, model.Actor{}, person("20201234", "0203")); campusCode(err) != "disabled" {
		t.Fatalf("disabled: %v", err)
	}
	if len(audited(t, f.st, "login_failed")) != 1 {
		t.Error("the refusal is not audited")
	}
}

// A campus name equal to an existing account's username does not open that
// account: the new user gets a name of its own.
func TestFirstSignInNeverTakesAnExistingUsername(t *testing.T) {
	f := setup(t)
	must(t, f.svc.SetDepartmentUnit(ctx, f.editor, "0203", f.unit.ID))
	_, _, u, err := f.svc.SignIn(ctx, model.Actor{}, person("editor", "0203"))
	must(t, err)
	if u.Username != "editor-2" || u.Has(model.RoleEditor) {
		t.Errorf("user = %+v", u)
	}
	// A subject that is no username at all gets one made from it.
	id := person("e3b0c442-98fc-1c14-9afb-f4c8996fb924-long-subject", "0203")
	id.Username, id.Attributes["mail"] = "", nil
	_, _, u, err = f.svc.SignIn(ctx, model.Actor{}, id)
	must(t, err)
	if !strings.HasPrefix(u.Username, "campus-") {
		t.Errorf("user = %+v", u)
	}
}

func TestLinkAndRequiredCampusSignIn(t *testing.T) {
	f := setup(t)
	local := model.User{Username: "wang.wu", Roles: []string{model.RoleContributor}, UnitID: f.unit.ID}
	must(t, f.acc.AddUser(ctx, model.SystemActor("cli"), &local, "local-password"))
	if err := f.svc.Link(ctx, f.editor, local.ID, campus.ProviderCAS, "20190007"); !errors.Is(err, campus.ErrForbidden) {
		t.Errorf("an editor links: %v", err)
	}
	must(t, f.svc.Link(ctx, f.admin, local.ID, campus.ProviderCAS, "20190007"))
	if err := f.svc.Link(ctx, f.admin, f.editor.User.ID, campus.ProviderCAS, "20190007"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("one identity linked twice: %v", err)
	}
	// The linked person signs in through CAS into the existing account,
	// whatever their department.
	_, _, u, err := f.svc.SignIn(ctx, model.Actor{}, person("20190007", "unmapped"))
	must(t, err)
	if u.ID != local.ID {
		t.Errorf("linked sign-in opened %+v", u)
	}
	// Passwords still work until the site requires campus sign-in.
	if _, _, err := f.acc.SignIn(ctx, model.Actor{IP: "127.0.0.1", Via: "desk"}, "wang.wu", "local-password"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetRequired(ctx, f.editor, true); !errors.Is(err, campus.ErrForbidden) {
		t.Errorf("an editor requires campus sign-in: %v", err)
	}
	must(t, f.svc.SetRequired(ctx, f.admin, true))
	if _, _, err := f.acc.SignIn(ctx, model.Actor{IP: "127.0.0.1", Via: "desk"}, "wang.wu", "local-password"); campusCode(err) != "required" {
		t.Errorf("linked account's password while required: %v", err)
	}
	// Local accounts (no campus identity) and administrators keep passwords.
	if _, _, err := f.acc.SignIn(ctx, model.Actor{IP: "127.0.0.1", Via: "desk"}, "editor", "newsroom-pw-001"); err != nil {
		t.Errorf("local account: %v", err)
	}
	must(t, f.svc.Link(ctx, f.admin, f.admin.User.ID, campus.ProviderOIDC, "admin-sub"))
	if _, _, err := f.acc.SignIn(ctx, model.Actor{IP: "127.0.0.1", Via: "desk"}, "admin", "chief-pw-00001"); err != nil {
		t.Errorf("break-glass administrator: %v", err)
	}
	must(t, f.svc.Unlink(ctx, f.admin, local.ID, campus.ProviderCAS, "20190007"))
	if _, _, err := f.acc.SignIn(ctx, model.Actor{IP: "127.0.0.1", Via: "desk"}, "wang.wu", "local-password"); err != nil {
		t.Errorf("unlinked account: %v", err)
	}
	for _, action := range []string{"campus_link", "campus_unlink", "settings"} {
		if len(audited(t, f.st, action)) == 0 {
			t.Errorf("no %s in the audit log", action)
		}
	}
}

func TestDepartmentMappingIsKeptByEditors(t *testing.T) {
	f := setup(t)
	contributor := model.Actor{User: model.User{ID: 99, Roles: []string{model.RoleContributor}}}
	if err := f.svc.SetDepartmentUnit(ctx, contributor, "0203", f.unit.ID); !errors.Is(err, campus.ErrForbidden) {
		t.Errorf("a contributor maps: %v", err)
	}
	for _, bad := range []string{"", "02 03", strings.Repeat("9", 65)} {
		if err := f.svc.SetDepartmentUnit(ctx, f.editor, bad, f.unit.ID); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("code %q: %v", bad, err)
		}
	}
	if err := f.svc.SetDepartmentUnit(ctx, f.editor, "0203", 12345); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("unknown unit: %v", err)
	}
	must(t, f.svc.SetDepartmentUnit(ctx, f.editor, "0203", f.unit.ID))
	must(t, f.svc.SetDepartmentUnit(ctx, f.editor, "0203", 0))
	if m, _ := f.st.DepartmentUnits(ctx); len(m) != 0 {
		t.Errorf("mapping after removal: %+v", m)
	}
	if got := audited(t, f.st, "campus_department"); len(got) != 2 || got[0].Detail != "removed" || got[1].Detail != "→ 物理学院" {
		t.Errorf("audit: %+v", got)
	}
}

func TestSingleLogoutEndsTheTicketsSession(t *testing.T) {
	f := setup(t)
	must(t, f.svc.SetDepartmentUnit(ctx, f.editor, "0203", f.unit.ID))
	id := person("20201234", "0203")
	id.Ticket = "ST-one"
	token, _, _, err := f.svc.SignIn(ctx, model.Actor{}, id)
	must(t, err)
	id.Ticket = "ST-two"
	other, _, _, err := f.svc.SignIn(ctx, model.Actor{}, id)
	must(t, err)
	req := `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="1" Version="2.0"><samlp:SessionIndex>ST-one</samlp:SessionIndex></samlp:LogoutRequest>`
	ended, err := f.svc.SingleLogout(ctx, model.Actor{IP: "127.0.0.1", Via: "desk"}, []byte(req))
	if err != nil || !ended {
		t.Fatalf("single logout: %v %v", ended, err)
	}
	if _, _, err := f.acc.Lookup(ctx, token); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("session of the ticket: %v", err)
	}
	if _, _, err := f.acc.Lookup(ctx, other); err != nil {
		t.Errorf("the other session ended too: %v", err)
	}
	if ended, err := f.svc.SingleLogout(ctx, model.Actor{}, []byte(req)); err != nil || ended {
		t.Errorf("again: %v %v", ended, err)
	}
	if out := audited(t, f.st, "logout"); len(out) != 1 || out[0].Target != "user 20201234" || out[0].Detail != "cas single logout" {
		t.Errorf("audit of the single logout: %+v", out)
	}
	if _, err := f.svc.SingleLogout(ctx, model.Actor{}, []byte("<html>")); campusCode(err) != "bad_logout" {
		t.Errorf("garbage: %v", err)
	}
}
