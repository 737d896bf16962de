module postermaker

go 1.22

require github.com/wailsapp/wails/v2 v2.9.1
