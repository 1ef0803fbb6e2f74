// Package citekey generates cite keys for BibTeX entries from a small
// pattern language, Google-Scholar style by default ("li2023blip").
//
// A pattern is literal text and fields in braces, each with optional
// modifiers after colons:
//
//	{auth:lower}{year}{title:lower}    li2023blip (the default, [DefaultPattern])
//	{auth}_{year}_{shorttitle}         Li_2023_BlipBootstrappingLanguage
//	{authors:lower:12}{year}           lilisavarese2023
//
// Fields:
//
//   - auth: the first author's last name, without its von part (the first
//     editor's when there is no author; "anon" when there is neither);
//   - authors: the last names of the first three authors, concatenated,
//     followed by "EtAl" when there are more;
//   - year: the year ([bib.Entry.Year]), digits only;
//   - title: the first significant word of the title, skipping stop words
//     as Google Scholar does (a, an, the, on, of, for, in, to, with, and,
//     from, ...; but not "towards", which Scholar keeps) and numbers;
//   - shorttitle: the first three significant words, each capitalised;
//   - type: the entry type.
//
// Modifiers: lower, upper, capitalize (first letter upper, rest lower), and
// a number N that keeps the first N characters.
//
// Text is made ASCII: LaTeX is decoded with [bib.DecodeLaTeX], accents are
// folded (Gödel to Godel, Łukasz to Lukasz, ß to ss), and everything but
// letters and digits is dropped. Chinese author names become pinyin without
// tones (张三 to zhang), with the surname's reading where it differs from
// the character's usual one (单 shan, 曾 zeng, 解 xie, 区 ou, 万俟 moqi, ...).
// A title in Chinese gives the pinyin of its first two characters, unless it
// holds an ASCII word, which is then used ("基于BERT的..." gives bert).
//
// A surname with several readings follows the library: [Generator.Learn]
// counts which reading the existing keys of the library use for each hanzi
// surname (an existing key shan2020x for an author 单 votes for "shan") and
// [Generator.Key] prefers the most common one. Keys once written are never
// changed by this package: it only proposes keys for new entries.
package citekey
