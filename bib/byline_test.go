package bib

import "testing"

func TestByline(t *testing.T) {
	cases := []struct {
		give, etAl, want string
	}{
		{"Kirillov, Alexander and Mintun, Eric and Ravi, Nikhila and Mao, Hanzi and others", "", "A. Kirillov, E. Mintun, et al."},
		{"Kirillov, Alexander and Mintun, Eric and Ravi, Nikhila and Mao, Hanzi and others", "等", "A. Kirillov, E. Mintun 等"},
		{"Li, Liunian Harold and others", "", "L. H. Li, et al."},
		{"Li, Junnan and Hoi, Steven", "", "J. Li, S. Hoi"},
		{"Jean-Pierre van der Berg and M{\\\"u}ller, J. and Smith, Jr., John", "", "J.-P. van der Berg, J. Müller, J. Smith, Jr."},
		{"周飞燕 and 金林鹏 and 董军 and 王五", "等", "周飞燕, 金林鹏 等"},
		{"{OpenAI}", "", "OpenAI"},
		{"others", "", "et al."},
		{"", "", ""},
	}
	for _, c := range cases {
		if got := Byline(ParseNames(c.give), BylineOptions{EtAl: c.etAl}); got != c.want {
			t.Errorf("Byline(%q, %q) = %q, want %q", c.give, c.etAl, got, c.want)
		}
	}
}
