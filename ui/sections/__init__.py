"""Account 360 sections contributed by each area: `account_section(ctx, account_id)`."""
