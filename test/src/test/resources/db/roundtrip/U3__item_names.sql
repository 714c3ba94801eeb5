DROP VIEW item_names;
