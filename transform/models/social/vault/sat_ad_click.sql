{# The versions of each ad click (click_id) by a user. #}
{{ vitrina.vault_sat('stg_social__ad_clicks', 'link_ad_click_hk', ['ad_id', 'user_id', 'click_id'], ['ts']) }}
