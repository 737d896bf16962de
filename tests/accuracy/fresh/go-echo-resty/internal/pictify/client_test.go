package pictify

import "testing"

const fakeKey = "pk_test_00000000000000000000000000000000"

func TestNewSetsToken(t *testing.T) {
	c := New().SetAuthToken(fakeKey)
	if c.Token != fakeKey {
		t.Fatalf("token not set")
	}
}
