{{/* Common labels for every object of the chart. */}}
{{- define "web.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: acme-shop
color: {{ .Values.color }}
{{- end -}}

{{- define "web.fullname" -}}
{{ .Chart.Name }}-{{ .Values.color }}
{{- end -}}
