package citekey

// surnameReadings holds the pinyin of hanzi used as surnames where it
// differs from go-pinyin's default (most common) reading of the character.
var surnameReadings = map[string]string{
	"曾": "zeng", "单": "shan", "解": "xie", "区": "ou", "仇": "qiu", "朴": "piao",
	"查": "zha", "盖": "ge", "乐": "yue", "尉": "yu", "缪": "miao", "翟": "zhai",
	"覃": "qin", "召": "shao", "阚": "kan", "隗": "wei", "句": "gou", "宓": "fu",
	"秘": "bi", "繁": "po", "员": "yun", "都": "du", "藏": "zang", "折": "she",
	"种": "chong", "重": "chong", "能": "nai", "薄": "bo", "长": "chang", "柏": "bai",
	"蔺": "lin", "牟": "mou", "祭": "zhai", "期": "qi", "车": "che", "钭": "tou",
	"万俟": "moqi", "尉迟": "yuchi", "单于": "chanyu", "长孙": "zhangsun", "澹台": "tantai",
}

// compoundSurnames are two-character surnames, recognised at the start of
// a name of three or more characters written as one token.
var compoundSurnames = map[string]bool{
	"欧阳": true, "司马": true, "诸葛": true, "上官": true, "万俟": true, "东方": true,
	"皇甫": true, "尉迟": true, "公孙": true, "令狐": true, "慕容": true, "夏侯": true,
	"长孙": true, "宇文": true, "司徒": true, "司空": true, "轩辕": true, "端木": true,
	"独孤": true, "南宫": true, "西门": true, "澹台": true, "申屠": true, "太史": true,
	"呼延": true, "钟离": true, "闻人": true, "赫连": true, "濮阳": true, "公羊": true,
	"淳于": true, "单于": true, "歐陽": true, "司馬": true, "諸葛": true, "東方": true,
}
