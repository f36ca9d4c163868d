package storetest

import (
	"errors"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// testCampus checks the links of campus identities to users, the
// department → unit mapping and the sessions CAS tickets opened.
func testCampus(t *testing.T, s store.Store) {
	unit := model.Unit{Name: "物理学院"}
	must(t, s.CreateUnit(ctx, &unit))
	u := model.User{Username: "zhang.san", Name: "张三", Roles: []string{model.RoleContributor}, UnitID: unit.ID}
	must(t, s.CreateUser(ctx, &u))

	must(t, s.CreateIdentity(ctx, model.Identity{Provider: "cas", Subject: "20201234", UserID: u.ID}))
	if err := s.CreateIdentity(ctx, model.Identity{Provider: "cas", Subject: "20201234", UserID: u.ID}); !errors.Is(err, model.ErrConflict) {
		t.Errorf("second link of one identity: %v, want ErrConflict", err)
	}
	// The same subject at another provider is another person.
	must(t, s.CreateIdentity(ctx, model.Identity{Provider: "oidc", Subject: "20201234", UserID: u.ID}))
	got, err := s.Identity(ctx, "cas", "20201234")
	must(t, err)
	if got.UserID != u.ID || got.CreatedAt.IsZero() || !got.SeenAt.IsZero() {
		t.Errorf("identity = %+v", got)
	}
	seen := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	must(t, s.SeenIdentity(ctx, "cas", "20201234", "zhangsan@example.edu", seen))
	got, err = s.Identity(ctx, "cas", "20201234")
	must(t, err)
	if got.Email != "zhangsan@example.edu" || !got.SeenAt.Equal(seen) {
		t.Errorf("identity after a sign-in = %+v", got)
	}
	if _, err := s.Identity(ctx, "cas", "2020123"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unknown subject: %v", err)
	}
	other := model.User{Username: "li.si", Name: "李四", Roles: []string{model.RoleEditor}}
	must(t, s.CreateUser(ctx, &other))
	must(t, s.CreateIdentity(ctx, model.Identity{Provider: "cas", Subject: "19990001", UserID: other.ID}))
	all, err := s.Identities(ctx, 0)
	must(t, err)
	if len(all) != 3 {
		t.Errorf("identities = %+v", all)
	}
	mine, err := s.Identities(ctx, u.ID)
	must(t, err)
	if len(mine) != 2 || mine[0].Provider != "cas" || mine[1].Provider != "oidc" {
		t.Errorf("identities of %s = %+v", u.Username, mine)
	}
	must(t, s.DeleteIdentity(ctx, "cas", "19990001"))
	if err := s.DeleteIdentity(ctx, "cas", "19990001"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unlink twice: %v", err)
	}

	must(t, s.SetDepartmentUnit(ctx, "0203", unit.ID))
	must(t, s.SetDepartmentUnit(ctx, "0101", unit.ID))
	must(t, s.SetDepartmentUnit(ctx, "0101", 0))
	deps, err := s.DepartmentUnits(ctx)
	must(t, err)
	if len(deps) != 1 || deps[0] != (model.DepartmentUnit{Code: "0203", UnitID: unit.ID}) {
		t.Errorf("department units = %+v", deps)
	}

	now := time.Now()
	se := model.Session{TokenHash: "tok-hash", UserID: u.ID, CSRF: "c", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	must(t, s.CreateSession(ctx, se))
	must(t, s.TicketSession(ctx, "ticket-hash", se.TokenHash, se.ExpiresAt))
	ended, err := s.EndTicketSession(ctx, "ticket-hash")
	must(t, err)
	if ended != u.ID {
		t.Errorf("single logout ended the session of user %d, want %d", ended, u.ID)
	}
	if _, err := s.Session(ctx, se.TokenHash, now); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("session after single logout: %v", err)
	}
	if ended, err := s.EndTicketSession(ctx, "ticket-hash"); err != nil || ended != 0 {
		t.Errorf("a second logout for the ticket: %v %v", ended, err)
	}
}
