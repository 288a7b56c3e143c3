{# Fails when the model does not have exactly one row per row of the compared model. #}
{% test row_count_equals_model(model, compare_model) %}
with this_model as (select count(*) as n from {{ model }}),
other_model as (select count(*) as n from {{ compare_model }})
select this_model.n as model_rows, other_model.n as compare_rows
from this_model cross join other_model
where this_model.n <> other_model.n
{% endtest %}
