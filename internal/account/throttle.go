package account

import (
	"context"
	"fmt"
	"time"

	"newsdesk/internal/model"
)

// Failed sign-ins slow down whoever fails, not the account's owner. They
// are counted in the store (so every instance counts the same) over a
// window, per account and address, per address and per account:
//   - one account from one address: pairFree tries, then a wait that
//     doubles with each further failure, from firstDelay up to the window;
//   - an account guessed from many addresses (accountAttack failures) is
//     "under attack": every address that has failed on it once waits;
//   - one address guessing many accounts (addressMax failures) waits until
//     its failures leave the window.
//
// An address that has not failed on an account is never slowed down by
// others' failures on it, so a burst from many addresses cannot lock the
// real owner out.
const (
	failWindow    = 15 * time.Minute
	pairFree      = 5
	accountAttack = 20
	addressMax    = 20
	firstDelay    = 30 * time.Second
)

// signInWait is how long a sign-in with these counts must wait (0: none).
func signInWait(c model.SignInCounts, now time.Time) time.Duration {
	free := pairFree
	if c.Account >= accountAttack {
		free = 1
	}
	var w time.Duration
	if c.Pair >= free {
		w = c.PairLast.Add(pairDelay(c.Pair - free)).Sub(now)
	}
	if c.Address >= addressMax {
		w = max(w, c.AddressFirst.Add(failWindow).Sub(now))
	}
	return max(w, 0)
}

// pairDelay is the wait after the nth failure past the free ones.
func pairDelay(n int) time.Duration {
	if n >= 5 { // 30 s · 2⁵ is past the window already
		return failWindow
	}
	return min(firstDelay<<n, failWindow)
}

// Throttle is one account and address whose sign-ins are counted, or (no
// username) an address slowed down over every account.
type Throttle struct {
	Username, IP string
	Failures     int
	Last         time.Time
	// Wait is how long the next try must wait, 0 if it may try now.
	Wait time.Duration
}

// Throttles lists the failed sign-ins being counted and the waits they
// impose, for administrators.
func (s *Service) Throttles(ctx context.Context, actor model.Actor) ([]Throttle, error) {
	if err := mayManage(actor); err != nil {
		return nil, err
	}
	now := s.now()
	since := now.Add(-failWindow)
	fs, err := s.Store.SignInFailureList(ctx, since)
	if err != nil {
		return nil, err
	}
	// The list holds every failure in the window: the per-account and
	// per-address counts are its sums.
	perAccount := map[string]int{}
	perAddress := map[string]*model.SignInCounts{}
	var addrOrder []string
	for _, f := range fs {
		perAccount[f.Username] += f.Count
		a := perAddress[f.IP]
		if a == nil {
			a = &model.SignInCounts{AddressFirst: f.First}
			perAddress[f.IP] = a
			addrOrder = append(addrOrder, f.IP)
		}
		a.Address += f.Count
		if f.First.Before(a.AddressFirst) {
			a.AddressFirst = f.First
		}
	}
	var out []Throttle
	for _, f := range fs {
		c := model.SignInCounts{Pair: f.Count, PairLast: f.Last, Account: perAccount[f.Username]}
		out = append(out, Throttle{Username: f.Username, IP: f.IP, Failures: f.Count, Last: f.Last, Wait: signInWait(c, now)})
	}
	for _, ip := range addrOrder {
		if a := perAddress[ip]; a.Address >= addressMax {
			out = append(out, Throttle{IP: ip, Failures: a.Address, Wait: signInWait(*a, now)})
		}
	}
	return out, nil
}

// ClearThrottle forgets the failed sign-ins of an account (from every
// address, or from ip only) or of an address (username empty), so they
// may try again at once; administrators only, audited.
func (s *Service) ClearThrottle(ctx context.Context, actor model.Actor, username, ip string) error {
	if err := mayManage(actor); err != nil {
		return err
	}
	if username == "" && ip == "" {
		return model.Invalid("throttle")
	}
	target := "user " + username
	if username == "" {
		target = "address " + ip
	}
	return s.tx(ctx, func(tx Store) error {
		n, err := tx.ClearSignInFailures(ctx, username, ip)
		if err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "sign_in_cleared", target, fmt.Sprintf("ip=%s failures=%d", ip, n)))
	})
}
