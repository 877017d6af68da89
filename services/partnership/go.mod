module github.com/partnerskap/partnerskap/services/partnership

go 1.26
