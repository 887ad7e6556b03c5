{{/* Chart name, overridable. */}}
{{- define "escope.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name; the release name alone when it already contains the chart name. */}}
{{- define "escope.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "escope.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "escope.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Labels every object carries. */}}
{{- define "escope.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "escope.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one service; call with (dict "root" $ "component" "trainer"). */}}
{{- define "escope.selectorLabels" -}}
app.kubernetes.io/name: {{ include "escope.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The escope image; call with (dict "root" $ "gpu" true|false): the GPU variant only where GPUs are used. */}}
{{- define "escope.image" -}}
{{- $v := .root.Values }}
{{- $tag := default .root.Chart.AppVersion $v.image.tag }}
{{- if .gpu }}
{{- if $v.gpu.imageDigest }}{{ printf "%s@%s" $v.image.repository $v.gpu.imageDigest }}{{ else }}{{ printf "%s:%s%s" $v.image.repository $tag $v.gpu.imageTagSuffix }}{{ end }}
{{- else }}
{{- if $v.image.digest }}{{ printf "%s@%s" $v.image.repository $v.image.digest }}{{ else }}{{ printf "%s:%s" $v.image.repository $tag }}{{ end }}
{{- end }}
{{- end }}

{{/* Name of one service's objects. */}}
{{- define "escope.componentName" -}}
{{- printf "%s-%s" (include "escope.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The shared checkpoint/data claim. */}}
{{- define "escope.claimName" -}}
{{- default (printf "%s-data" (include "escope.fullname" .)) .Values.storage.existingClaim }}
{{- end }}

{{/* Service account of the trainer (may manage Jobs) and of the other services (may do nothing). */}}
{{- define "escope.trainerServiceAccount" -}}
{{- printf "%s-trainer" (include "escope.fullname" .) }}
{{- end }}
{{- define "escope.workloadServiceAccount" -}}
{{- printf "%s-workload" (include "escope.fullname" .) }}
{{- end }}
{{/* Service account of the training member Jobs: no role, no token. */}}
{{- define "escope.memberServiceAccount" -}}
{{- printf "%s-member" (include "escope.fullname" .) }}
{{- end }}

{{/* The headless Service over the inference pods: its DNS name lists every ready pod, for round_robin clients. */}}
{{- define "escope.inferenceHeadless" -}}
{{- printf "%s-headless" (include "escope.componentName" (dict "root" . "component" "inference")) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Where the kubelet mounts a pod's ServiceAccount token, CA and namespace. */}}
{{- define "escope.serviceAccountDir" -}}
/var/run/secrets/kubernetes.io/serviceaccount
{{- end }}

{{/* Whether a component runs on GPU nodes: inference does when GPUs are enabled (trainers use GPU member Jobs). */}}
{{- define "escope.usesGpu" -}}
{{- if and .root.Values.gpu.enabled (eq .component "inference") }}true{{ end }}
{{- end }}

{{/* The Secret holding the token file and the per-role tokens. */}}
{{- define "escope.authSecret" -}}
{{- default (printf "%s-auth" (include "escope.fullname" .)) .Values.auth.existingSecret }}
{{- end }}

{{/* The kubernetes.io/tls Secret of the services (tls.crt, tls.key, ca.crt). */}}
{{- define "escope.tlsSecret" -}}
{{- default (printf "%s-tls" (include "escope.fullname" .)) .Values.tls.existingSecret }}
{{- end }}

{{/* Where the Secrets are mounted in the service containers. */}}
{{- define "escope.authDir" -}}/etc/escope/auth{{- end }}
{{- define "escope.tlsDir" -}}/etc/escope/tls{{- end }}
