{# Engine differences, one dispatch each; models call these and never branch on the adapter. #}

{# Integer division of non-negative integers. #}
{% macro int_div(numerator, denominator) -%}
    {{ return(adapter.dispatch('int_div', 'vitrina')(numerator, denominator)) }}
{%- endmacro %}

{% macro duckdb__int_div(numerator, denominator) -%}
    (({{ numerator }}) // ({{ denominator }}))
{%- endmacro %}

{% macro default__int_div(numerator, denominator) -%}
    cast(div(({{ numerator }}), ({{ denominator }})) as bigint)
{%- endmacro %}

{# Milliseconds since the epoch of a (naive UTC) timestamp, as bigint. #}
{% macro epoch_ms(ts) -%}
    {{ return(adapter.dispatch('epoch_ms', 'vitrina')(ts)) }}
{%- endmacro %}

{% macro duckdb__epoch_ms(ts) -%}
    epoch_ms({{ ts }})
{%- endmacro %}

{% macro default__epoch_ms(ts) -%}
    cast(extract(epoch from {{ ts }}) * 1000 as bigint)
{%- endmacro %}

{# One row per day from start to end (both dates, inclusive), as a set-returning expression. #}
{% macro day_series(start_date, end_date) -%}
    {{ return(adapter.dispatch('day_series', 'vitrina')(start_date, end_date)) }}
{%- endmacro %}

{% macro duckdb__day_series(start_date, end_date) -%}
    unnest(generate_series(cast({{ start_date }} as timestamp), cast({{ end_date }} as timestamp), interval 1 day))
{%- endmacro %}

{% macro default__day_series(start_date, end_date) -%}
    generate_series(cast({{ start_date }} as timestamp), cast({{ end_date }} as timestamp), interval '1 day')
{%- endmacro %}

{#
  numerator / denominator rounded half up to 2 decimals, exactly, as decimal(18,2); NULL when
  the denominator is 0. The numerator has at most 2 decimals (money) or is an integer, so
  100 * numerator is an integer and the rounding is done in integers: the same answer on
  every engine (floating point would round 2.675 down on one and up on another).
#}
{% macro round_div_2dp(numerator, denominator) -%}
    case when ({{ denominator }}) = 0 then null else
        cast(
            cast({{ vitrina.int_div(
                '2 * cast(round((' ~ numerator ~ ') * 100) as bigint) + cast(' ~ denominator ~ ' as bigint)',
                '2 * cast(' ~ denominator ~ ' as bigint)') }} as decimal(18, 0)) * 0.01
        as decimal(18, 2))
    end
{%- endmacro %}
