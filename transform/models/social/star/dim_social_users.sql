{# One row per user: the current attributes of the user's satellites. #}
with users as {{ vitrina.vault_rows('hub_user', {}, 'sat_user', 'user_hk',
    ['username', 'email', 'country', 'created_at'], keys=['user_hk', 'user_id']) }},

profiles as {{ vitrina.vault_current('sat_user_profile', 'user_hk') }},

settings as {{ vitrina.vault_current('sat_user_settings', 'user_hk') }},

privacy as {{ vitrina.vault_current('sat_user_privacy', 'user_hk') }},

final as (
    select
        users.user_id,
        users.username,
        users.email,
        users.country,
        users.created_at,
        profiles.display_name,
        profiles.bio,
        profiles.birth_date,
        profiles.city,
        settings.language,
        settings.notifications_enabled,
        privacy.profile_visibility,
        privacy.messages_from
    from users
    left join profiles on profiles.user_hk = users.user_hk
    left join settings on settings.user_hk = users.user_hk
    left join privacy on privacy.user_hk = users.user_hk
)

select * from final
