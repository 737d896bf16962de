package render

import "testing"

func TestKeyShape(t *testing.T) {
	const sample = "pk_live_REPLACE_WITH_YOUR_KEY"
	if len(sample) == 0 {
		t.Fatal("empty")
	}
}
