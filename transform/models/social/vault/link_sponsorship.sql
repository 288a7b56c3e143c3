{# One row per sponsorship (sponsorship_id) of a creator. #}
{{ vitrina.vault_link('stg_social__sponsorships', 'link_sponsorship_hk', {'sponsor_hk': ['sponsor_id'], 'creator_hk': ['creator_id']}, keys=['sponsorship_id']) }}
