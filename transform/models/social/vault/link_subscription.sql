{# One row per paid subscription. #}
{{ vitrina.vault_link('stg_social__subscriptions', 'link_subscription_hk', {'subscriber_hk': ['subscriber_id'], 'creator_hk': ['creator_id']}) }}
