{# The versions of each sponsorship (sponsorship_id) of a creator. #}
{{ vitrina.vault_sat('stg_social__sponsorships', 'link_sponsorship_hk', ['sponsor_id', 'creator_id', 'sponsorship_id'], ['amount', 'start_date', 'end_date']) }}
