-- +goose Up
-- "Cluster" is the partnership service's world region; what sets a cap is the cost zone derived from it
-- (CHANGELOG.md). The stored words ("europe", "africa_asia_latin_america") are unchanged.
ALTER TABLE budget_caps RENAME COLUMN cluster TO cost_zone;
ALTER TABLE budget_caps RENAME CONSTRAINT budget_caps_cluster_check TO budget_caps_cost_zone_check;
ALTER TABLE budgets RENAME COLUMN cluster TO cost_zone;
ALTER TABLE budgets RENAME CONSTRAINT budgets_cluster_check TO budgets_cost_zone_check;

-- +goose Down
ALTER TABLE budgets RENAME CONSTRAINT budgets_cost_zone_check TO budgets_cluster_check;
ALTER TABLE budgets RENAME COLUMN cost_zone TO cluster;
ALTER TABLE budget_caps RENAME CONSTRAINT budget_caps_cost_zone_check TO budget_caps_cluster_check;
ALTER TABLE budget_caps RENAME COLUMN cost_zone TO cluster;
