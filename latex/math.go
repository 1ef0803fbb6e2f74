package latex

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnsafe: a formula, an image or a key would carry TeX that can read or
// write files or run programs (\input, \write18, \csname, ^^ escapes, an
// image outside the workspace), so it is written as text instead.
var ErrUnsafe = errors.New("unsafe for latex")

// Math in a note is written into the .tex file as TeX source, so it is the
// one place where workspace text reaches TeX unescaped. A workspace is
// untrusted input (a lab member's clone), and TeX can read files (\input,
// \openin, \read), write them (\openout, \write) and, under -shell-escape,
// run programs (\write18, \directlua). The check below is an allow-list:
// every control sequence must be a known math command, every environment a
// known math environment. A deny-list was rejected because TeX offers too
// many ways to spell a primitive that no list of names catches: \csname
// input\endcsname, ^^5cinput (a backslash written as ^^5c), \expandafter
// chains, \let to a harmless-looking name, or active characters redefined
// by \catcode. With an allow-list, a name that is not known is refused, so
// a trick that is not anticipated fails closed: the formula becomes text.

// mathCommands are the control words allowed in math: symbols, operators,
// accents, fonts, spacing and delimiters of LaTeX and amsmath. None of them
// reads or writes a file, defines a macro, changes a catcode or builds a
// control sequence name.
var mathCommands = wordSet(`
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa
lambda mu nu xi omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega
Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega
varGamma varDelta varTheta varLambda varXi varPi varSigma varUpsilon varPhi varPsi varOmega
aleph beth gimel daleth hbar hslash ell wp Re Im partial infty nabla emptyset varnothing
forall exists nexists neg lnot top bot angle measuredangle triangle Box Diamond
prime backprime surd imath jmath
pm mp times div cdot ast star circ bullet oplus ominus otimes oslash odot
cap cup sqcap sqcup vee wedge lor land setminus smallsetminus wr amalg dagger ddagger
uplus bigcirc bigtriangleup bigtriangledown triangleleft triangleright lhd rhd unlhd unrhd
leq le geq ge neq ne lt gt equiv approx approxeq sim simeq cong propto asymp doteq
ll gg lll ggg leqq geqq leqslant geqslant lesssim gtrsim prec succ preceq succeq
subset supset subseteq supseteq subsetneq supsetneq sqsubset sqsupset sqsubseteq sqsupseteq
in ni notin owns mid nmid parallel nparallel perp models vdash dashv vDash
smile frown bowtie coloneqq eqqcolon triangleq
leftarrow rightarrow Leftarrow Rightarrow leftrightarrow Leftrightarrow
longleftarrow longrightarrow Longleftarrow Longrightarrow longleftrightarrow Longleftrightarrow
uparrow downarrow Uparrow Downarrow updownarrow Updownarrow
mapsto longmapsto to gets iff implies impliedby hookleftarrow hookrightarrow
nearrow searrow swarrow nwarrow leftharpoonup rightharpoonup leftharpoondown rightharpoondown
rightleftharpoons leadsto
xleftarrow xrightarrow
sum prod coprod int iint iiint oint bigcup bigcap bigvee bigwedge bigoplus bigotimes bigodot biguplus bigsqcup
lim liminf limsup sup inf max min arg argmax argmin det dim exp gcd hom ker lg ln log Pr deg
sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh coth
frac dfrac tfrac cfrac binom dbinom tbinom sqrt
hat widehat check tilde widetilde acute grave dot ddot dddot breve bar vec mathring
overline underline overbrace underbrace overrightarrow overleftarrow overleftrightarrow
underrightarrow underleftarrow stackrel overset underset
mathrm mathbf mathit mathsf mathtt mathcal mathbb mathfrak mathscr mathnormal boldsymbol bm
text textrm textbf textit textsf texttt textup textnormal mbox operatorname
displaystyle textstyle scriptstyle scriptscriptstyle
left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr bigm Bigm
langle rangle lceil rceil lfloor rfloor lvert rvert lVert rVert vert Vert backslash
lbrace rbrace lbrack rbrack
quad qquad enspace thinspace medspace thickspace negthinspace
ldots cdots vdots ddots dots dotsc dotsb dotsm dotsi dotso colon
limits nolimits substack
tag notag nonumber
hline cline
begin end
`)

// mathEnvironments are the environments allowed inside math.
var mathEnvironments = wordSet(`
matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix smallmatrix cases dcases
aligned alignedat gathered split array subarray
`)

// mathSymbols are the control symbols (a backslash and one non-letter)
// allowed in math: spacing, escaped specials, the line break.
const mathSymbols = `,;:! \{}|#%&_$`

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// checkMath returns nil when the math source m (without its $ or $$
// delimiters) uses only the allow-listed control sequences and
// environments, has balanced braces, and holds no character that changes
// how TeX reads what follows: no ^^ escape, no unescaped $ (which would
// leave math mode), no % (which would comment out the closing delimiter),
// no #. Otherwise it says what is refused.
func checkMath(m string) error {
	depth := 0
	for i := 0; i < len(m); i++ {
		c := m[i]
		switch c {
		case '{':
			depth++
		case '}':
			depth--
			if depth < 0 {
				return errors.New("unbalanced }")
			}
		case '$':
			return errors.New("$ inside math")
		case '%':
			return errors.New("% inside math")
		case '#':
			return errors.New("# inside math")
		case '^':
			if i+1 < len(m) && m[i+1] == '^' {
				return errors.New("^^ inside math")
			}
		case '\\':
			if i+1 == len(m) {
				return errors.New(`lone \ at the end`)
			}
			d := m[i+1]
			if !isASCIILetter(d) {
				if !strings.ContainsRune(mathSymbols, rune(d)) {
					return fmt.Errorf(`\%s is not allowed in math`, printable(m[i+1:]))
				}
				i++
				continue
			}
			j := i + 1
			for j < len(m) && isASCIILetter(m[j]) {
				j++
			}
			// A letter outside ASCII right after the name would make a
			// longer control word under xelatex (Unicode letters have
			// catcode 11 there): refuse rather than guess.
			if j < len(m) && m[j] >= 0x80 {
				return fmt.Errorf(`\%s is not allowed in math`, printable(m[i+1:]))
			}
			name := m[i+1 : j]
			if !mathCommands[name] {
				return fmt.Errorf(`\%s is not allowed in math`, name)
			}
			if name == "begin" || name == "end" {
				env, n, ok := envName(m[j:])
				if !ok || !mathEnvironments[strings.TrimSuffix(env, "*")] {
					return fmt.Errorf(`\%s{%s} is not allowed in math`, name, env)
				}
				j += n
			}
			i = j - 1
		}
	}
	if depth != 0 {
		return errors.New("unbalanced {")
	}
	return nil
}

// envName reads `{name}` at the start of s (spaces before it allowed).
func envName(s string) (name string, n int, ok bool) {
	i := 0
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i == len(s) || s[i] != '{' {
		return "", 0, false
	}
	end := strings.IndexByte(s[i:], '}')
	if end < 0 {
		return "", 0, false
	}
	name = s[i+1 : i+end]
	for k := 0; k < len(name); k++ {
		if !isASCIILetter(name[k]) && !(k == len(name)-1 && name[k] == '*') {
			return name, 0, false
		}
	}
	return name, i + end + 1, true
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// printable returns the start of s (up to a few runes) for a message,
// quoted when it holds control characters.
func printable(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		r = append(r[:40], '…')
	}
	out := string(r)
	for _, c := range out {
		if c < 0x20 || c == 0x7f {
			return fmt.Sprintf("%q", out)
		}
	}
	return out
}

// safeKey reports whether a cite key can be written into \cite{...} as is:
// no TeX special, no space, no comma (which would split it).
func safeKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c <= ' ' || c == 0x7f || strings.IndexByte(`\{}%#$&^~,`, c) >= 0 {
			return false
		}
	}
	return true
}
