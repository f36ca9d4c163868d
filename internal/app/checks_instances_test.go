package app_test

import (
	"context"
	"testing"
	"time"

	"newsdesk/internal/check"
	"newsdesk/internal/model"
	"newsdesk/internal/store/sqlstore/pgtest"
)

// TestRuleChangeReachesTheOtherInstance: two instances on one PostgreSQL
// database; a word added on A is found by B's checks once B hears the
// change notification (B had compiled the rules before), and a word taken
// out stops matching there too. The delay is logged, not asserted.
func TestRuleChangeReachesTheOtherInstance(t *testing.T) {
	dsn := pgtest.DSN(t)
	a, _ := instance(t, dsn)
	b, _ := instance(t, dsn)
	ctx := context.Background()
	writer := model.Actor{User: model.User{ID: 1, Roles: []string{model.RoleContributor}}}
	found := func() bool {
		fs, err := b.Checks.Text(ctx, writer, "这里有多实例测试词")
		if err != nil {
			t.Fatal(err)
		}
		return len(fs) > 0
	}
	if found() { // B compiles the rules in force
		t.Fatal("the word matches before it was added")
	}
	start := time.Now()
	if _, err := a.Checks.Save(ctx, model.SystemActor("test"), check.KindWords, "多实例测试词 | 测试 | block\n", false); err != nil {
		t.Fatal(err)
	}
	for !found() {
		if time.Since(start) > 10*time.Second {
			t.Fatal("B still checks with the rules it had compiled")
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("rule added on A, in force on B after %v", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	if _, err := a.Checks.Save(ctx, model.SystemActor("test"), check.KindWords, "", false); err != nil {
		t.Fatal(err)
	}
	for found() {
		if time.Since(start) > 10*time.Second {
			t.Fatal("B still finds a word taken out on A")
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("rule removed on A, gone on B after %v", time.Since(start).Round(time.Millisecond))
}
