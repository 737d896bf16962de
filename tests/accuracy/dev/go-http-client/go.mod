module github.com/example/badger

go 1.22

require github.com/pictify-io/pictify-go v0.3.0
