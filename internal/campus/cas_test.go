package campus_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"newsdesk/internal/campus"
	"newsdesk/internal/campus/castest"
)

// The answers below are the CAS 3.0 specification's own examples (section
// 2.5.2 and appendix), plus the variants servers in the field send.
func TestParseServiceResponse(t *testing.T) {
	cases := []struct {
		name, xml string
		user      string
		attrs     map[string][]string
		failure   string
		bad       bool
	}{
		{name: "success with attributes (CAS 3.0)", xml: `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
 <cas:authenticationSuccess>
  <cas:user>username</cas:user>
  <cas:attributes>
    <cas:firstname>John</cas:firstname>
    <cas:lastname>Doe</cas:lastname>
    <cas:title>Mr.</cas:title>
    <cas:email>jdoe@example.org</cas:email>
    <cas:affiliation>staff</cas:affiliation>
    <cas:affiliation>faculty</cas:affiliation>
  </cas:attributes>
  <cas:proxyGrantingTicket>PGTIOU-84678-8a9d...</cas:proxyGrantingTicket>
 </cas:authenticationSuccess>
</cas:serviceResponse>`, user: "username", attrs: map[string][]string{"firstname": {"John"}, "lastname": {"Doe"}, "title": {"Mr."}, "email": {"jdoe@example.org"}, "affiliation": {"staff", "faculty"}}},
		{name: "success without attributes (CAS 2.0)", xml: `<?xml version="1.0" encoding="UTF-8"?><cas:serviceResponse xmlns:cas='http://www.yale.edu/tp/cas'><cas:authenticationSuccess><cas:user>
   20201234
</cas:user></cas:authenticationSuccess></cas:serviceResponse>`, user: "20201234", attrs: map[string][]string{}},
		{name: "name/value attributes", xml: `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>li</cas:user>
<cas:attributes><cas:attribute name="department" value="0203"/><cas:displayName>李四</cas:displayName></cas:attributes></cas:authenticationSuccess></cas:serviceResponse>`,
			user: "li", attrs: map[string][]string{"department": {"0203"}, "displayName": {"李四"}}},
		{name: "other prefix, same namespace", xml: `<x:serviceResponse xmlns:x="http://www.yale.edu/tp/cas"><x:authenticationSuccess><x:user>wang</x:user></x:authenticationSuccess></x:serviceResponse>`,
			user: "wang", attrs: map[string][]string{}},
		{name: "failure", xml: `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
 <cas:authenticationFailure code="INVALID_TICKET">
    Ticket ST-1856339-aA5Yuvrxzpv8Tau1cYQ7 not recognized
  </cas:authenticationFailure>
</cas:serviceResponse>`, failure: "INVALID_TICKET"},
		{name: "wrong namespace", xml: `<cas:serviceResponse xmlns:cas="urn:evil"><cas:authenticationSuccess><cas:user>admin</cas:user></cas:authenticationSuccess></cas:serviceResponse>`, bad: true},
		{name: "no namespace", xml: `<serviceResponse><authenticationSuccess><user>admin</user></authenticationSuccess></serviceResponse>`, bad: true},
		{name: "empty user", xml: `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user> </cas:user></cas:authenticationSuccess></cas:serviceResponse>`, bad: true},
		{name: "neither", xml: `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"></cas:serviceResponse>`, bad: true},
		{name: "both", xml: `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>a</cas:user></cas:authenticationSuccess><cas:authenticationFailure code="X"/></cas:serviceResponse>`, bad: true},
		{name: "an HTML error page", xml: `<!doctype html><html><body>502 Bad Gateway</body></html>`, bad: true},
		{name: "other charset", xml: `<?xml version="1.0" encoding="GBK"?><cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>a</cas:user></cas:authenticationSuccess></cas:serviceResponse>`, bad: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := campus.ParseServiceResponse([]byte(tc.xml))
			if tc.bad {
				if err == nil {
					t.Fatalf("accepted: %+v", r)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.User != tc.user || r.FailureCode != tc.failure {
				t.Fatalf("got %+v", r)
			}
			for k, v := range tc.attrs {
				if !slices.Equal(r.Attributes[k], v) {
					t.Errorf("attribute %s = %q, want %q", k, r.Attributes[k], v)
				}
			}
			if tc.failure == "" && len(r.Attributes) != len(tc.attrs) {
				t.Errorf("attributes = %v", r.Attributes)
			}
		})
	}
}

// FuzzParseServiceResponse: no input makes the parser panic, and what it
// accepts is either a failure with a code or a success naming a user with
// no space around it.
func FuzzParseServiceResponse(f *testing.F) {
	f.Add([]byte(`<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>u</cas:user><cas:attributes><cas:department>0203</cas:department><cas:attribute name="a" value="b"/></cas:attributes></cas:authenticationSuccess></cas:serviceResponse>`))
	f.Add([]byte(`<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationFailure code="INVALID_TICKET">x</cas:authenticationFailure></cas:serviceResponse>`))
	f.Add([]byte(`<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:SessionIndex>ST-1</samlp:SessionIndex></samlp:LogoutRequest>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := campus.ParseServiceResponse(data)
		if err == nil {
			switch {
			case r.FailureCode == "" && (r.User == "" || strings.TrimSpace(r.User) != r.User):
				t.Fatalf("success with user %q", r.User)
			case r.FailureCode != "" && r.User != "":
				t.Fatalf("failure %q with user %q", r.FailureCode, r.User)
			}
		}
		if ticket, err := campus.ParseLogoutRequest(data); err == nil && strings.TrimSpace(ticket) != ticket {
			t.Fatalf("logout ticket %q", ticket)
		}
	})
}

func TestParseLogoutRequest(t *testing.T) {
	got, err := campus.ParseLogoutRequest([]byte(`<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
     ID="LR-1" Version="2.0" IssueInstant="2026-12-01T08:00:00Z">
    <saml:NameID xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">@NOT_USED@</saml:NameID>
    <samlp:SessionIndex>ST-1856339-aA5Yuvrxzpv8Tau1cYQ7</samlp:SessionIndex>
</samlp:LogoutRequest>`))
	if err != nil || got != "ST-1856339-aA5Yuvrxzpv8Tau1cYQ7" {
		t.Fatalf("got %q, %v", got, err)
	}
	for _, bad := range []string{``, `<LogoutRequest><SessionIndex>ST-1</SessionIndex></LogoutRequest>`,
		`<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"></samlp:LogoutRequest>`} {
		if got, err := campus.ParseLogoutRequest([]byte(bad)); err == nil {
			t.Errorf("%q accepted: %q", bad, got)
		}
	}
}

// TestCASValidateAgainstServer validates tickets against the CAS test
// server: a good one once, then the same one again (refused: tickets are
// single use), one for another service, and a made-up one.
func TestCASValidateAgainstServer(t *testing.T) {
	srv := castest.New(map[string]castest.User{"20201234": {Password: "pw", Attributes: map[string][]string{"department": {"0203"}, "displayName": {"张三"}}}})
	defer srv.Close()
	c := &campus.CAS{URL: srv.URL + "/"}
	ctx := context.Background()
	const service = "http://127.0.0.1:9/desk/login/cas"
	if !strings.HasPrefix(c.LoginURL(service), srv.URL+"/login?service=http%3A%2F%2F127.0.0.1") {
		t.Errorf("login URL %s", c.LoginURL(service))
	}
	st := srv.Ticket("20201234", service)
	id, err := c.Validate(ctx, service, st)
	if err != nil {
		t.Fatal(err)
	}
	if id.Subject != "20201234" || id.Provider != campus.ProviderCAS || !slices.Equal(id.Attributes["department"], []string{"0203"}) || !slices.Equal(id.Attributes["displayName"], []string{"张三"}) {
		t.Errorf("identity = %+v", id)
	}
	var ce *campus.Error
	if _, err := c.Validate(ctx, service, st); !errors.As(err, &ce) || ce.Code != "bad_ticket" {
		t.Errorf("replayed ticket: %v", err)
	}
	other := srv.Ticket("20201234", "http://127.0.0.1:9/elsewhere")
	if _, err := c.Validate(ctx, service, other); !errors.As(err, &ce) || ce.Code != "bad_ticket" {
		t.Errorf("ticket of another service: %v", err)
	}
	if _, err := c.Validate(ctx, service, "ST-made-up-0000000000000000000000000000"); !errors.As(err, &ce) || ce.Code != "bad_ticket" {
		t.Errorf("made-up ticket: %v", err)
	}
	if srv.Failures("INVALID_TICKET") != 2 || srv.Failures("INVALID_SERVICE") != 1 {
		t.Errorf("server saw INVALID_TICKET %d, INVALID_SERVICE %d", srv.Failures("INVALID_TICKET"), srv.Failures("INVALID_SERVICE"))
	}
	// A server that is down is an error, not a refused ticket.
	down := &campus.CAS{URL: "http://127.0.0.1:1"}
	if _, err := down.Validate(ctx, service, srv.Ticket("20201234", service)); err == nil || errors.As(err, &ce) {
		t.Errorf("server down: %v", err)
	}
}
