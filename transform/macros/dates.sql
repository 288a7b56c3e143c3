{# The calendar columns of a date column (one place for every date dimension). #}
{% macro date_attributes(date_day) -%}
cast(extract(year from {{ date_day }}) as integer) as year,
        cast(extract(quarter from {{ date_day }}) as integer) as quarter,
        cast(extract(month from {{ date_day }}) as integer) as month,
        cast(extract(day from {{ date_day }}) as integer) as day_of_month,
        cast(extract(isodow from {{ date_day }}) as integer) as iso_day_of_week,
        cast(extract(isodow from {{ date_day }}) as integer) in (6, 7) as is_weekend
{%- endmacro %}
