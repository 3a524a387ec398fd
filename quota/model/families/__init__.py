"""One module per constraint family; ``quota.model.build.build_model`` calls them in order."""

# the families whose rows are resources (land a project draws on): their shadow prices are prices of land
RESOURCES = ("city_quota", "carry_over", "advance_cap", "farmland", "stock", "stock_by_year", "county_cap", "earned_quota", "province_reserve",
             "ring_fence")
