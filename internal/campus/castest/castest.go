// Package castest is a CAS server for tests, written from the Apereo CAS
// 3.0 protocol specification, since no CAS server can be installed on the
// machines Newsdesk is built on. It implements what a CAS client meets:
//
//   - /login: the credential form (or, with a single sign-on cookie, a
//     ticket at once; renew=true asks again, gateway=true never asks),
//     then a redirect to the service with ticket=ST-…;
//   - /p3/serviceValidate (CAS 3.0, with attributes) and /serviceValidate
//     (CAS 2.0, without): service tickets good for one validation attempt,
//     successful or not, for the service they were issued to, for a short
//     time; the error codes INVALID_REQUEST, INVALID_TICKET_SPEC,
//     INVALID_TICKET and INVALID_SERVICE;
//   - /logout: ends the single sign-on session and sends each service it
//     signed in to the back-channel logoutRequest (SAML 2.0, SessionIndex
//     = the service ticket), POSTed as the form field logoutRequest to the
//     service URL (or to LogoutURL of it).
//
// Proxy tickets (/proxy, /p3/proxyValidate) are left out: Newsdesk does
// not use them.
package castest

import (
	"crypto/rand"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// User is a person the server knows.
type User struct {
	Password   string
	Attributes map[string][]string
}

// Server is a running CAS test server.
type Server struct {
	*httptest.Server
	// LogoutURL maps a service URL to where its logoutRequest goes;
	// nil: the service URL itself, as the specification says.
	LogoutURL func(service string) string
	// TicketTTL bounds a service ticket's life (the specification
	// recommends at most five minutes).
	TicketTTL time.Duration

	mu       sync.Mutex
	users    map[string]User
	tickets  map[string]ticket      // service tickets not yet validated
	sessions map[string]*ssoSession // by the CASTGC cookie
	loginsBy map[string][]string    // username → CASTGC values, for Logout
	failures map[string]int         // validation failures by code, for tests
	logouts  []string               // the SessionIndex of each logoutRequest sent
}

type ticket struct {
	user, service string
	issued        time.Time
	fromLogin     bool // the person typed their credentials for it
}

type ssoSession struct {
	user     string
	services map[string]string // ticket → service URL, for single logout
}

const cookieName = "CASTGC"

// New starts a CAS server on 127.0.0.1 that knows users.
func New(users map[string]User) *Server {
	s := &Server{TicketTTL: 5 * time.Minute, users: users, tickets: map[string]ticket{}, sessions: map[string]*ssoSession{},
		failures: map[string]int{}, loginsBy: map[string][]string{}}
	m := http.NewServeMux()
	m.HandleFunc("GET /login", s.loginPage)
	m.HandleFunc("POST /login", s.login)
	m.HandleFunc("GET /p3/serviceValidate", func(w http.ResponseWriter, r *http.Request) { s.validate(w, r, true) })
	m.HandleFunc("GET /serviceValidate", func(w http.ResponseWriter, r *http.Request) { s.validate(w, r, false) })
	m.HandleFunc("GET /logout", s.logout)
	s.Server = httptest.NewServer(m)
	return s
}

// SetUser adds or changes a user.
func (s *Server) SetUser(name string, u User) {
	s.mu.Lock()
	s.users[name] = u
	s.mu.Unlock()
}

// Failures counts the validations refused with code.
func (s *Server) Failures(code string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failures[code]
}

// Logouts lists the tickets (SessionIndex) of the logoutRequests sent.
func (s *Server) Logouts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.logouts...)
}

// Ticket issues a service ticket for user and service as a sign-in would,
// for tests that drive the protocol without a browser.
func (s *Server) Ticket(user, service string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issue(user, service, true, nil)
}

// issue makes a ticket; s.mu is held.
func (s *Server) issue(user, service string, fromLogin bool, sso *ssoSession) string {
	// ST- and at least 32 characters, as the specification asks.
	t := "ST-" + rand.Text() + rand.Text()
	now := time.Now()
	s.tickets[t] = ticket{user: user, service: service, issued: now, fromLogin: fromLogin}
	if sso != nil {
		sso.services[t] = service
	}
	return t
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	service := r.URL.Query().Get("service")
	q := r.URL.Query()
	if c, err := r.Cookie(cookieName); err == nil && q.Get("renew") != "true" {
		s.mu.Lock()
		sso := s.sessions[c.Value]
		var t string
		if sso != nil && service != "" {
			t = s.issue(sso.user, service, false, sso)
		}
		s.mu.Unlock()
		if t != "" {
			http.Redirect(w, r, withTicket(service, t), http.StatusFound)
			return
		}
	}
	if q.Get("gateway") == "true" && service != "" {
		http.Redirect(w, r, service, http.StatusFound)
		return
	}
	s.form(w, service, "", http.StatusOK)
}

func (s *Server) form(w http.ResponseWriter, service, message string, status int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	msg := ""
	if message != "" {
		msg = `<p id="msg" class="errors">` + html.EscapeString(message) + `</p>`
	}
	fmt.Fprintf(w, `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>统一身份认证 (CAS test server)</title></head>
<body><h1>统一身份认证</h1>%s
<form method="post" action="/login">
<input type="hidden" name="service" value="%s">
<label>用户名 <input id="username" name="username" autocomplete="username"></label>
<label>密码 <input id="password" name="password" type="password"></label>
<button id="submit" type="submit">登录</button>
</form></body></html>`, msg, html.EscapeString(service))
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	service, name, pw := r.PostFormValue("service"), r.PostFormValue("username"), r.PostFormValue("password")
	s.mu.Lock()
	u, ok := s.users[name]
	if !ok || u.Password != pw {
		s.mu.Unlock()
		s.form(w, service, "用户名或密码错误 (wrong username or password)", http.StatusUnauthorized)
		return
	}
	tgc := "TGT-" + rand.Text()
	sso := &ssoSession{user: name, services: map[string]string{}}
	s.sessions[tgc] = sso
	s.loginsBy[name] = append(s.loginsBy[name], tgc)
	var t string
	if service != "" {
		t = s.issue(name, service, true, sso)
	}
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: tgc, Path: "/", HttpOnly: true})
	if service == "" {
		fmt.Fprint(w, "<!doctype html><p>已登录 (signed in)</p>")
		return
	}
	http.Redirect(w, r, withTicket(service, t), http.StatusFound)
}

// withTicket appends the ticket to the service URL, which may have a query.
func withTicket(service, t string) string {
	sep := "?"
	if strings.Contains(service, "?") {
		sep = "&"
	}
	return service + sep + "ticket=" + url.QueryEscape(t)
}

func (s *Server) validate(w http.ResponseWriter, r *http.Request, attributes bool) {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	q := r.URL.Query()
	service, t := q.Get("service"), q.Get("ticket")
	s.mu.Lock()
	tk, ok := s.tickets[t]
	// One validation attempt per ticket, whatever its outcome.
	delete(s.tickets, t)
	var code, msg string
	switch {
	case service == "" || t == "":
		code, msg = "INVALID_REQUEST", "service and ticket are both required"
	case !strings.HasPrefix(t, "ST-"):
		code, msg = "INVALID_TICKET_SPEC", "not a service ticket"
	case !ok:
		code, msg = "INVALID_TICKET", fmt.Sprintf("Ticket %s not recognized", t)
	case time.Since(tk.issued) > s.TicketTTL:
		code, msg = "INVALID_TICKET", fmt.Sprintf("Ticket %s has expired", t)
	case q.Get("renew") == "true" && !tk.fromLogin:
		code, msg = "INVALID_TICKET", "the ticket came from single sign-on, renew was asked"
	case tk.service != service:
		code, msg = "INVALID_SERVICE", fmt.Sprintf("Ticket %s was issued for another service", t)
	}
	var u User
	if code == "" {
		u = s.users[tk.user]
	} else {
		s.failures[code]++
	}
	s.mu.Unlock()
	var b strings.Builder
	b.WriteString("<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n")
	if code != "" {
		fmt.Fprintf(&b, "  <cas:authenticationFailure code=\"%s\">\n    %s\n  </cas:authenticationFailure>\n", code, html.EscapeString(msg))
	} else {
		fmt.Fprintf(&b, "  <cas:authenticationSuccess>\n    <cas:user>%s</cas:user>\n", html.EscapeString(tk.user))
		if attributes {
			b.WriteString("    <cas:attributes>\n")
			fmt.Fprintf(&b, "      <cas:authenticationDate>%s</cas:authenticationDate>\n", tk.issued.UTC().Format(time.RFC3339))
			fmt.Fprintf(&b, "      <cas:longTermAuthenticationRequestTokenUsed>false</cas:longTermAuthenticationRequestTokenUsed>\n")
			fmt.Fprintf(&b, "      <cas:isFromNewLogin>%v</cas:isFromNewLogin>\n", tk.fromLogin)
			for name, vs := range u.Attributes {
				for _, v := range vs {
					fmt.Fprintf(&b, "      <cas:%s>%s</cas:%s>\n", name, html.EscapeString(v), name)
				}
			}
			b.WriteString("    </cas:attributes>\n")
		}
		b.WriteString("  </cas:authenticationSuccess>\n")
	}
	b.WriteString("</cas:serviceResponse>\n")
	w.Write([]byte(b.String()))
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(cookieName)
	if err == nil {
		s.end(c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1})
	if service := r.URL.Query().Get("service"); service != "" {
		http.Redirect(w, r, service, http.StatusFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, "<!doctype html><p>已退出统一身份认证 (signed out)</p>")
}

// Logout ends every single sign-on session of user, as if they signed out
// of CAS, sending the logoutRequests.
func (s *Server) Logout(user string) error {
	s.mu.Lock()
	tgcs := s.loginsBy[user]
	delete(s.loginsBy, user)
	s.mu.Unlock()
	var errs []string
	for _, tgc := range tgcs {
		if err := s.end(tgc); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if errs != nil {
		return fmt.Errorf("single logout: %s", strings.Join(errs, "; "))
	}
	return nil
}

// end destroys a single sign-on session and tells its services.
func (s *Server) end(tgc string) error {
	s.mu.Lock()
	sso := s.sessions[tgc]
	delete(s.sessions, tgc)
	s.mu.Unlock()
	if sso == nil {
		return nil
	}
	var errs []string
	for t, service := range sso.services {
		to := service
		if s.LogoutURL != nil {
			to = s.LogoutURL(service)
		}
		body := fmt.Sprintf(`<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="LR-%s" Version="2.0" IssueInstant="%s">`+
			`<saml:NameID xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">@NOT_USED@</saml:NameID>`+
			`<samlp:SessionIndex>%s</samlp:SessionIndex></samlp:LogoutRequest>`, rand.Text(), time.Now().UTC().Format(time.RFC3339), t)
		res, err := http.PostForm(to, url.Values{"logoutRequest": {body}})
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			errs = append(errs, fmt.Sprintf("%s answered %s", to, res.Status))
		}
		s.mu.Lock()
		s.logouts = append(s.logouts, t)
		s.mu.Unlock()
	}
	if errs != nil {
		return fmt.Errorf("logoutRequest: %s", strings.Join(errs, "; "))
	}
	return nil
}
