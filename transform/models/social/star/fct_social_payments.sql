{#
  One row per payment between users: subscription payments, donations and sponsorships
  (a sponsorship counts on its start date); payment_id is the id within its kind.
#}
with subscriptions as {{ vitrina.vault_rows('link_subscription_payment', {
    'subscriber_hk': ['hub_user', 'user_id', 'payer_id'],
    'creator_hk': ['hub_user', 'user_id', 'payee_id'],
}, 'sat_subscription_payment', 'link_subscription_payment_hk', ['amount', 'paid_at'], keys=['payment_id']) }},

donations as {{ vitrina.vault_rows('link_donation', {
    'from_user_hk': ['hub_user', 'user_id', 'payer_id'],
    'to_user_hk': ['hub_user', 'user_id', 'payee_id'],
}, 'sat_donation', 'link_donation_hk', ['amount', 'created_at'], keys=['donation_id']) }},

sponsorships as {{ vitrina.vault_rows('link_sponsorship', {
    'sponsor_hk': ['hub_user', 'user_id', 'payer_id'],
    'creator_hk': ['hub_user', 'user_id', 'payee_id'],
}, 'sat_sponsorship', 'link_sponsorship_hk', ['amount', 'start_date'], keys=['sponsorship_id']) }},

payments as (
    select cast('subscription' as varchar) as payment_kind, payment_id, payer_id, payee_id, amount, paid_at
    from subscriptions
    union all
    select cast('donation' as varchar), donation_id, payer_id, payee_id, amount, created_at
    from donations
    union all
    select cast('sponsorship' as varchar), sponsorship_id, payer_id, payee_id, amount, start_date
    from sponsorships
),

final as (
    select
        payment_kind,
        payment_id,
        payer_id,
        payee_id,
        cast(amount as decimal(12, 2)) as amount,
        paid_at,
        cast(paid_at as date) as paid_date
    from payments
)

select * from final
