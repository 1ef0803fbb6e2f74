package citekey_test

import (
	"fmt"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/citekey"
)

func ExampleGenerate() {
	f := bib.Parse("in.bib", []byte(`@article{,
  title = {{BLIP-2}: Bootstrapping Language-Image Pre-training},
  author = {Li, Junnan and Li, Dongxu},
  year = {2023}
}
@article{,
  title = {大语言模型的推理能力研究},
  author = {张三},
  year = {2024}
}`), nil)
	taken := map[string]bool{"li2023blip": true}
	for _, e := range f.Entries {
		fmt.Println(citekey.Generate(e, citekey.DefaultPattern, func(k string) bool { return taken[k] }))
	}
	// Output:
	// li2023blipa
	// zhang2024dayu
}
