{# One row per subscription payment (payment_id). #}
{{ vitrina.vault_link('stg_social__subscription_payments', 'link_subscription_payment_hk', {'subscriber_hk': ['subscriber_id'], 'creator_hk': ['creator_id']}, keys=['payment_id']) }}
