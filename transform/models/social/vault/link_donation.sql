{# One row per donation (donation_id) between users. #}
{{ vitrina.vault_link('stg_social__donations', 'link_donation_hk', {'from_user_hk': ['from_user_id'], 'to_user_hk': ['to_user_id']}, keys=['donation_id']) }}
