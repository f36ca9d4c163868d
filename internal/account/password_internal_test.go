package account

import (
	"strings"
	"testing"
)

// A sign-in as nobody checks the password against a hash of the current
// parameters, so it takes as long as a real one, and fails.
func TestDummyHashCostsARealCheck(t *testing.T) {
	real, err := HashPassword("any password at all")
	if err != nil {
		t.Fatal(err)
	}
	params := func(h string) string { return strings.Join(strings.Split(h, "$")[:4], "$") }
	if params(dummyHash) != params(real) {
		t.Errorf("dummy hash %s names other parameters than a real one, %s", dummyHash, real)
	}
	for _, pw := range []string{"", "newsdesk-demo", "any password at all"} {
		if ok, err := CheckPassword(dummyHash, pw); ok || err != nil {
			t.Errorf("CheckPassword(dummy, %q) = %v, %v; want false, nil", pw, ok, err)
		}
	}
}
