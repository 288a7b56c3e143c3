{# One row per (post, user): the user's latest reaction to the post (a later one replaces it). #}
with reactions as {{ vitrina.vault_rows('link_reaction', {
    'post_hk': ['hub_post', 'post_id', 'post_id'],
    'user_hk': ['hub_user', 'user_id', 'user_id'],
}, 'sat_reaction', 'link_reaction_hk', ['kind', 'created_at'], keys=['reaction_id']) }},

ranked as (
    select
        reactions.*,
        row_number() over (
            partition by post_id, user_id order by created_at desc, reaction_id desc
        ) as reaction_rank
    from reactions
),

final as (
    select
        reaction_id,
        post_id,
        user_id,
        kind,
        created_at,
        cast(created_at as date) as created_date
    from ranked
    where reaction_rank = 1
)

select * from final
