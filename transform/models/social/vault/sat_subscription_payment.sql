{# The versions of each subscription payment (payment_id). #}
{{ vitrina.vault_sat('stg_social__subscription_payments', 'link_subscription_payment_hk', ['subscriber_id', 'creator_id', 'payment_id'], ['amount', 'paid_at']) }}
