package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/partnerskap/partnerskap/platform/auth"
)

// axe-core 4.14.1's axe.min.js, unchanged (testdata/axe/SOURCE.md says where it comes from). The test checks
// its sum, so the accessibility rules the console is held to change only when someone means them to.
//
//go:embed testdata/axe/axe.min.js
var axeJS string

const axeSHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"

// stepTimeout bounds each step in the browser (a page to load, an element to show), so a console that
// never answers fails the test with the step's name instead of hanging until go test's own timeout.
const stepTimeout = 30 * time.Second

// A person uses the web console in a real headless Chromium, by mouse and keyboard: signs in as a member on
// the development sign-in page, creates a draft partnership with one field wrong, reads the API's refusal
// beside that field, corrects it and lands on the partnership's page, and signs out; an ICLD coordinator signs
// in and decides a submitted claim line by line on its page, goes back to the partnership's page and switches
// to Swedish. axe-core checks every page it meets against WCAG 2.0 and 2.1 A and AA, and full-page screenshots
// are written for review: to $CONSOLE_SCREENSHOTS when set, else to a folder under the test's temporary
// directory (the log names it).
func TestConsoleInABrowser(t *testing.T) {
	chrome := chromiumPath(t)
	if sum := sha256.Sum256([]byte(axeJS)); hex.EncodeToString(sum[:]) != axeSHA256 {
		t.Fatalf("testdata/axe/axe.min.js has sha256 %x, not the %s that testdata/axe/SOURCE.md names", sum, axeSHA256)
	}
	shots := screenshotDir(t)

	s := startSuite(t)
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	malmo := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_MUNICIPALITY","display_name":"Malmö stad",
		"swedish":{"org_number":"2120001124","municipality_code":"1280"}}`).must(t, http.StatusCreated).str("id")
	lusaka := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT",
		"display_name":"Lusaka City Council","international":{"country_code":"ZM","government_kind":"city council"}}`).must(t, http.StatusCreated).str("id")
	// One partnership already there, so the list has more than the one the member creates.
	admin.do("POST", "/v1/partnerships", `{"swedish_organization_id":"`+malmo+`","international_organization_id":"`+lusaka+`",
		"title":"Öppna beslut i Lusaka","core_areas":["CORE_AREA_TRANSPARENCY"]}`).must(t, http.StatusCreated)

	b := openBrowser(t, chrome, s.GatewayURL)

	// The browser asks for English first (its Accept-Language), so the console starts in English.
	b.signIn("member of a Swedish organisation", "Malmö stad")
	b.checkAccessibility("the dashboard")
	b.do("open the organisations list", chromedp.Click(chromedp.CSS(`nav a[href="/console/organizations"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#organizations a[href^="/console/organizations/"]`)))
	b.checkAccessibility("the organisations list")
	b.openPartnerships()
	b.mustText("h1", "Partnerships")
	b.checkAccessibility("the partnerships list")
	b.screenshot(filepath.Join(shots, "partnerships-en.png"))

	// A draft with a malformed Agenda 2030 target: the API refuses it, and the form says why beside the field.
	b.do("open the create form", chromedp.Click(chromedp.CSS(`a[href="/console/partnerships/new"]`)), chromedp.WaitVisible(chromedp.ID("title")))
	b.do("fill in the form",
		chromedp.SendKeys(chromedp.ID("title"), "Ungas röster i miljöfrågor"),
		b.choose("swedishOrganizationId", "Malmö", "Malmö stad"),
		b.choose("internationalOrganizationId", "Lusaka", "Lusaka City Council (ZM)"),
		chromedp.Click(chromedp.ID("coreArea-CORE_AREA_PARTICIPATION")),
		chromedp.SendKeys(chromedp.ID("sdgTargets"), "16.7, 99.9"),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("problem-heading")),
	)
	// The refusal names the wrong target, beside the hint, where a screen reader reads both with the field.
	if said := b.describedBy("sdgTargets"); !strings.Contains(said, `"99.9" is not an SDG target`) {
		t.Fatalf("the SDG targets field is described by %q, not by the API's refusal", said)
	}
	b.checkAccessibility("the create form showing a field error")

	// Corrected (the form kept what was typed: the person deletes the bad target from its end), the draft is
	// created and its page shown.
	b.do("correct the field", chromedp.SendKeys(chromedp.ID("sdgTargets"), kb.End+strings.Repeat(kb.Backspace, len(", 99.9"))))
	if typed := run(b, "read the field", chromedp.Value(chromedp.ID("sdgTargets"))); typed != "16.7" {
		t.Fatalf("the SDG targets field holds %q after the correction, want 16.7", typed)
	}
	b.do("submit the corrected form",
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.lifecycle`)),
	)
	if at := b.location(); !strings.HasPrefix(at.Path, "/console/partnerships/") || strings.HasSuffix(at.Path, "/new") {
		t.Fatalf("after creating, the browser is at %s, not a partnership's page", at)
	}
	b.mustText("h1", "Ungas röster i miljöfrågor")
	b.mustText(".lifecycle li.current", "draft")
	b.checkAccessibility("the partnership page")
	b.screenshot(filepath.Join(shots, "partnership-en.png"))

	// A coordinator decides a claim line by line. The claim (of Malmö, on a partnership of its own, prepared
	// and submitted through the API as the line-by-line test does) waits for ICLD; the member signs out with the
	// header's button and the coordinator signs in on the same page the member used.
	partnershipPage := b.location().Path
	claim := draftClaim(t, s, malmo, lusaka)
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, malmo)}
	member.do("POST", "/v1/claims/"+claim+":submit", `{}`).must(t, http.StatusOK)
	b.do("sign out",
		chromedp.Click(chromedp.CSS(`form[action="/console/sign-out"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("role")),
	)
	b.signIn("ICLD coordinator", "")
	b.openPartnerships()

	// From the header's Claims link to the claim. Each wait is for an element only the next page has (both
	// lists have #results), and on the claim page for the last control of its decision form, so the whole form
	// is there before anything is typed in it.
	claimLink := `#results a[href="/console/claims/` + claim + `"]`
	b.do("open the claims list", chromedp.Click(chromedp.CSS(`nav a[href="/console/claims"]`)), chromedp.WaitVisible(chromedp.CSS(claimLink)))
	b.mustText("h1", "Claims")
	b.do("open the claim",
		chromedp.Click(chromedp.CSS(claimLink)),
		chromedp.WaitVisible(chromedp.ID("approved-1")),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/reject"] button[type="submit"]`)),
	)
	b.mustText(".state strong", "submitted")
	b.checkAccessibility("the submitted claim")

	// The form offers each line's cost (in English with a decimal point). The flight stays as offered; the
	// hotel is cut to 900 kronor with a reason. The person deletes the offered amount from its end and types,
	// as in the SDG field above, and the test reads each input back before pressing the button, so a lost key
	// fails here, by name, and not as a puzzling decision.
	b.mustValue("approved-0", "12500.00")
	offered := b.mustValue("approved-1", "1032.19")
	b.do("reduce the hotel's amount and give the reason",
		chromedp.SendKeys(chromedp.ID("approved-1"), kb.End+strings.Repeat(kb.Backspace, len(offered))+"900.00"),
		chromedp.SendKeys(chromedp.ID("reason-1"), "The minibar is not a programme cost"),
	)
	b.mustValue("approved-0", "12500.00")
	b.mustValue("approved-1", "900.00")
	b.mustValue("reason-1", "The minibar is not a programme cost")
	b.mustValue("reason-0", "")

	// Decide posts the form and the console redirects to the claim page: RunResponse waits until that page
	// has loaded, and its status says whether the console took the decision (a refusal answers 4xx and shows
	// the form again).
	b.follow("decide the claim", chromedp.Click(chromedp.CSS(`form[action$="/approve"] button[type="submit"]`)))
	b.do("wait for the decided claim",
		chromedp.WaitNotPresent(chromedp.ID("approved-0")),
		chromedp.WaitVisible(chromedp.CSS(`section[aria-labelledby="lines-heading"] tbody tr:nth-child(2) td:last-child`)),
	)
	if at := b.location().Path; at != "/console/claims/"+claim {
		t.Fatalf("after the decision the browser is at %s, not the claim's page\n%s", at, b.whereAmI())
	}
	// A line approved for less than its cost makes the whole claim partly approved (the finance service's
	// rule); the page shows the total approved and each line's decision with its reason.
	b.mustText(".state strong", "partly approved")
	if total := b.definition("Approved"); total != "SEK\u00a013,400.00" {
		t.Fatalf("the claim's approved total reads %q, want SEK 13,400.00\n%s", total, b.whereAmI())
	}
	lines := b.claimLines()
	want := [][2]string{{"SEK\u00a012,500.00", "–"}, {"SEK\u00a0900.00", "The minibar is not a programme cost"}}
	if len(lines) != len(want) {
		t.Fatalf("the claim shows %d lines, want %d: %q", len(lines), len(want), lines)
	}
	for i, w := range want {
		// Each row: date, budget line, description, cost, receipt, approved amount, reason.
		if row := lines[i]; len(row) != 7 || row[5] != w[0] || row[6] != w[1] {
			t.Fatalf("line %d of the decided claim reads %q, want approved %q with reason %q", i+1, row, w[0], w[1])
		}
	}
	b.checkAccessibility("the partly approved claim")

	// Back to the member's draft through the partnerships list, where the language switch below starts.
	draftLink := `#results a[href="` + partnershipPage + `"]`
	b.do("go back to the partnerships list", chromedp.Click(chromedp.CSS(`nav a[href="/console/partnerships"]`)), chromedp.WaitVisible(chromedp.CSS(draftLink)))
	b.do("go back to the draft partnership", chromedp.Click(chromedp.CSS(draftLink)), chromedp.WaitVisible(chromedp.CSS(`ol.lifecycle`)))
	b.mustText("h1", "Ungas röster i miljöfrågor")

	// The switch on the page turns the console Swedish and stays on the same page.
	b.do("switch to Swedish", chromedp.Click(chromedp.CSS(`button[name="lang"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="sv"] ol.lifecycle`)))
	b.mustText(".lifecycle li.current", "utkast")
	b.mustText("#lifecycle-heading", "Livscykel")
	b.checkAccessibility("the partnership page in Swedish")
	b.screenshot(filepath.Join(shots, "partnership-sv.png"))
	b.do("go to the list", chromedp.Click(chromedp.CSS(`nav a[href="/console/partnerships"]`)), chromedp.WaitVisible(chromedp.ID("results")))
	b.mustText("h1", "Partnerskap")
	b.checkAccessibility("the partnerships list in Swedish")
	b.screenshot(filepath.Join(shots, "partnerships-sv.png"))
}

// chromiumPath finds Debian's chromium, which `make test` installs pinned; without it the test fails and
// says how to install it, since a browser test that skips would pass without having tested anything.
func chromiumPath(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is missing; TestConsoleInABrowser drives the web console in it. Install it with `make chromium` " +
			"(as root on Debian it installs the version the Makefile pins), or: sudo apt-get install chromium")
	}
	return path
}

func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("CONSOLE_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(t.TempDir(), "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(dir)
	t.Logf("screenshots of the console are written to %s", abs)
	return dir
}

// chrome is one headless Chromium tab at the console.
type chrome struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func openBrowser(t *testing.T, path, base string) *chrome {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		// 1000 px: wide enough for the desktop layout, small enough for screenshots in the README.
		chromedp.WindowSize(1000, 800),
		chromedp.Flag("accept-lang", "en-GB,en"),
		// These machines reach no network but their own: keep Chromium from trying (component updates, QUIC
		// probes), and from wanting a GPU that is not there.
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.DisableGPU,
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to start as root with its sandbox
	}
	out := &lockedBuffer{}
	opts = append(opts, chromedp.CombinedOutput(out))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first call starts the browser and ties it to ctx, which has no deadline: each step gets its own.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v\n%s", path, err, out.String())
	}
	return &chrome{t: t, ctx: ctx, base: base}
}

// do runs steps in the browser within stepTimeout; on failure it shows where the browser is and what it shows.
func (b *chrome) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v\n%s", what, err, b.whereAmI())
	}
}

// run is do for one step that answers a value.
func run[T any](b *chrome, what string, step chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, step)
	if err != nil {
		b.t.Fatalf("%s: %v\n%s", what, err, b.whereAmI())
	}
	return v
}

func (b *chrome) whereAmI() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	at, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	return fmt.Sprintf("the browser is at %s, showing:\n%s", at, text)
}

func (b *chrome) location() *url.URL {
	b.t.Helper()
	at, err := url.Parse(run(b, "read the location", chromedp.Location()))
	if err != nil {
		b.t.Fatal(err)
	}
	return at
}

// mustText fails unless the first element sel matches shows exactly want (its visible text, trimmed).
func (b *chrome) mustText(sel, want string) {
	b.t.Helper()
	if got := strings.TrimSpace(run(b, "read "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))); got != want {
		b.t.Fatalf("%s shows %q, want %q\n%s", sel, got, want, b.whereAmI())
	}
}

// mustValue fails unless the input with id holds want, and answers it: a check on what was typed before a
// form is sent.
func (b *chrome) mustValue(id, want string) string {
	b.t.Helper()
	if got := run(b, "read #"+id, chromedp.Value(chromedp.ID(id), chromedp.NodeVisible)); got != want {
		b.t.Fatalf("#%s holds %q, want %q\n%s", id, got, want, b.whereAmI())
	}
	return want
}

// follow runs steps that navigate (a click on a form's button) and waits until the page they lead to has
// loaded; it fails unless that page was answered 200, after any redirect.
func (b *chrome) follow(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		b.t.Fatalf("%s: %v\n%s", what, err, b.whereAmI())
	}
	if resp.Status != http.StatusOK {
		b.t.Fatalf("%s: the console answered %d\n%s", what, resp.Status, b.whereAmI())
	}
}

// definition is the visible text of the description that follows the term reading term in the page's
// description lists ("" when there is none).
func (b *chrome) definition(term string) string {
	b.t.Helper()
	return run(b, "read the definition of "+term, chromedp.Evaluate[string](fmt.Sprintf(`(dt => dt && dt.nextElementSibling ?
		dt.nextElementSibling.innerText.trim() : "")([...document.querySelectorAll("dl dt")].find(dt => dt.innerText.trim() === %q))`, term)))
}

// claimLines is the claim page's table of costs as it reads: per line, the visible text of each cell.
func (b *chrome) claimLines() [][]string {
	b.t.Helper()
	return run(b, "read the claim's lines", chromedp.Evaluate[[][]string](`[...document.querySelectorAll(
		'section[aria-labelledby="lines-heading"] tbody tr')].map(row => [...row.cells].map(cell => cell.innerText.trim()))`))
}

// choose picks an option of a select from the keyboard, as a person does: focus it and type the start of
// the option's text, unless it already shows label (typing then would move on to the next match). It then
// checks that the option chosen reads label, so a typo cannot pick another.
func (b *chrome) choose(id, typed, label string) chromedp.Action[chromedp.Void] {
	chosen := chromedp.Evaluate[string](fmt.Sprintf(`(s => s.selectedIndex < 0 ? "" : s.options[s.selectedIndex].text)(document.getElementById(%q))`, id))
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if got, err := chromedp.Run(ctx, chosen); err != nil || got == label {
			return err
		}
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID(id), typed)); err != nil {
			return err
		}
		got, err := chromedp.Run(ctx, chosen)
		if err == nil && got != label {
			err = fmt.Errorf("typing %q in #%s chose %q, not %q", typed, id, got, label)
		}
		return err
	})
}

// signIn signs in on the development sign-in page as a person does: picks the role and, unless org is empty,
// the organisation by their visible names, and presses the button. It ends on the dashboard.
func (b *chrome) signIn(role, org string) {
	b.t.Helper()
	b.do("open the console", chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(chromedp.ID("role")))
	b.mustText("h1", "Sign in")
	b.checkAccessibility("the sign-in page")
	steps := []chromedp.Action[chromedp.Void]{b.choose("role", strings.Fields(role)[0], role)}
	if org != "" {
		steps = append(steps, b.choose("org", strings.Fields(org)[0], org))
	}
	steps = append(steps, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)), chromedp.WaitVisible(chromedp.ID("dashboard-heading")))
	b.do("sign in as "+role, steps...)
}

// openPartnerships follows the header's link to the partnerships list, one nav link away from any page.
func (b *chrome) openPartnerships() {
	b.t.Helper()
	b.do("open the partnerships list", chromedp.Click(chromedp.CSS(`nav a[href="/console/partnerships"]`)), chromedp.WaitVisible(chromedp.ID("results")))
}

// describedBy is what a screen reader reads after an input's label: the visible text of the elements its
// aria-describedby names, which must stand in the same field as the input (beside it, not elsewhere).
func (b *chrome) describedBy(id string) string {
	b.t.Helper()
	return run(b, "read what describes #"+id, chromedp.Evaluate[string](fmt.Sprintf(`(input => (input.getAttribute("aria-describedby") || "")
		.split(/\s+/).map(ref => document.getElementById(ref))
		.filter(el => el && el.checkVisibility() && el.closest(".field") === input.closest(".field"))
		.map(el => el.innerText).join(" | "))(document.getElementById(%q))`, id)))
}

// axeViolation is one rule axe-core found broken, with the elements that break it.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// axeResult is what the test reads of axe.run's answer: the broken rules, and how many rules held, which
// shows that axe really checked the page.
type axeResult struct {
	Violations []axeViolation `json:"violations"`
	Passes     int            `json:"passes"`
}

// checkAccessibility runs axe-core in the page as it is now, with the WCAG 2.0 and 2.1 A and AA rules, and
// fails the test listing every violation.
func (b *chrome) checkAccessibility(page string) {
	b.t.Helper()
	b.do("inject axe-core into "+page, chromedp.Evaluate[chromedp.Void](axeJS))
	res := run(b, "run axe-core on "+page, chromedp.Evaluate[axeResult](`axe.run(document, {
			runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
		}).then(r => ({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact,
			help: v.help, targets: v.nodes.map(n => n.target.join(" "))}))}))`, chromedp.EvalAwaitPromise))
	if res.Passes == 0 {
		b.t.Fatalf("axe-core checked no rule on %s", page)
	}
	for _, v := range res.Violations {
		b.t.Errorf("axe-core on %s (%s): %s [%s]: %s; at %s", page, b.location(), v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
	}
	if len(res.Violations) > 0 {
		b.t.FailNow()
	}
}

// screenshot writes a PNG of the whole page, below the fold too.
func (b *chrome) screenshot(path string) {
	b.t.Helper()
	png := run(b, "take a screenshot", chromedp.FullScreenshot(100))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// lockedBuffer keeps Chromium's output, which its process writes while the test may read it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *lockedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
