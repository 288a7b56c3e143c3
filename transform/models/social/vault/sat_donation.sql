{# The versions of each donation (donation_id) between users. #}
{{ vitrina.vault_sat('stg_social__donations', 'link_donation_hk', ['from_user_id', 'to_user_id', 'donation_id'], ['amount', 'created_at']) }}
