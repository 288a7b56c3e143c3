{# One row per comment; a reply has the comment it answers (on the same post). #}
with comments as {{ vitrina.vault_rows('link_comment_post', {
    'comment_hk': ['hub_comment', 'comment_id', 'comment_id'],
    'post_hk': ['hub_post', 'post_id', 'post_id'],
    'user_hk': ['hub_user', 'user_id', 'user_id'],
}, 'sat_comment', 'comment_hk', ['created_at'], keys=['comment_hk']) }},

replies as {{ vitrina.vault_rows('link_reply', {
    'parent_comment_hk': ['hub_comment', 'comment_id', 'parent_comment_id'],
}, keys=['comment_hk']) }},

final as (
    select
        comments.comment_id,
        comments.post_id,
        comments.user_id,
        replies.parent_comment_id,
        replies.parent_comment_id is not null as is_reply,
        comments.created_at,
        cast(comments.created_at as date) as created_date
    from comments
    left join replies on replies.comment_hk = comments.comment_hk
)

select * from final
