# The SkillDelta harness itself: Node 24 + the docker CLI, driving the host's Docker daemon
# through its socket. Built FROM the offline base that `skilldelta env build` creates, with
# Debian packages and the npm registry only (no Docker Hub). Build with docker/build.sh.
ARG BASE=skilldelta-base:latest
FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive
# An extra CA (a TLS-inspecting proxy in front of the npm registry); empty unless build.sh found one.
COPY docker/extra-ca.crt /usr/local/share/ca-certificates/skilldelta-extra.crt
# Debian's nodejs/npm only bootstrap Node 24 from the npm registry, then go away again.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates docker.io git debootstrap nodejs npm \
 && ( [ -s /usr/local/share/ca-certificates/skilldelta-extra.crt ] || rm /usr/local/share/ca-certificates/skilldelta-extra.crt ) \
 && update-ca-certificates \
 && export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
 && npm install -g --prefix /opt/node24 node@24 \
 && PATH=/opt/node24/bin:$PATH npm install -g --prefix /opt/node24 npm@11 \
 && apt-get purge -y nodejs npm && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/* /root/.npm
ENV PATH=/opt/node24/bin:$PATH NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
WORKDIR /opt/skilldelta
COPY package.json package-lock.json ./
# npm install, not npm ci: npm 11's lock lists only one platform's optional native bindings
RUN npm install --omit=dev --no-audit --no-fund && rm -rf /root/.npm
COPY harness ./harness
COPY environments ./environments
COPY tasks ./tasks
COPY examples ./examples
ENTRYPOINT ["node", "/opt/skilldelta/harness/bin/skilldelta.js"]
CMD ["--help"]
