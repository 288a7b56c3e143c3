{# The versions of each paid subscription. #}
{{ vitrina.vault_sat('stg_social__subscriptions', 'link_subscription_hk', ['subscriber_id', 'creator_id'], ['tier', 'created_at']) }}
