module github.com/partnerskap/partnerskap/tools

go 1.26
