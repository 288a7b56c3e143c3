{# One row per ad click (click_id) by a user. #}
{{ vitrina.vault_link('stg_social__ad_clicks', 'link_ad_click_hk', {'ad_hk': ['ad_id'], 'user_hk': ['user_id']}, keys=['click_id']) }}
